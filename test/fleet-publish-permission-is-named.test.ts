import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { SharedCircuit, type SharedCircuitEvent } from 'shared-circuit';
import { test } from './helpers/redis-test.ts';
import { cleanUp, inspector, privateRedis, uniqueNamespace } from './helpers/redis.ts';
import { FLEET_DEADLINE_MS, FLEET_RESET_TIMEOUT_MS, waitUntil } from './helpers/timing.ts';

/** Long enough for the connection to try to resume three times (once a second). */
const WATCH_MS = 3500;

test('a Redis user that may run scripts but not PUBLISH is named once, the circuit stays on its local breaker, and shares again once allowed', async (t) => {
  const server = await privateRedis(t);
  const admin = inspector(t, server.url);
  // Every key, every channel, every command but PUBLISH.
  await admin.call('ACL', 'SETUSER', 'limited', 'on', '>pw', '~*', '&*', '+@all', '-publish');
  const url = new URL(server.url);
  url.username = 'limited';
  url.password = 'pw';

  const lines: string[] = [];
  const fallbacks: SharedCircuitEvent[] = [];
  const circuit = new SharedCircuit({
    name: 'quotes',
    namespace: uniqueNamespace('publish-permission'), // a private Redis, stopped with its keys
    redisUrl: url.href,
    failures: 1,
    resetTimeoutMs: FLEET_RESET_TIMEOUT_MS,
    redisTimeoutMs: FLEET_DEADLINE_MS,
    connectTimeoutMs: FLEET_DEADLINE_MS,
    log: (line) => lines.push(line),
  });
  cleanUp(t, () => circuit.dispose());
  circuit.onEvent((event) => {
    if (event.type === 'fallback') fallbacks.push(event);
  });
  assert.equal(await circuit.ready(), 'local', 'not shared: its transitions could reach nobody');

  const modes = new Set<string>();
  const watchUntil = performance.now() + WATCH_MS;
  while (performance.now() < watchUntil) {
    await circuit.execute(() => Promise.reject(new Error('dependency down'))).catch(() => {});
    modes.add(circuit.mode);
    await sleep(50);
  }
  assert.deepEqual([...modes], ['local'], 'one steady protection, no flapping');
  assert.equal(lines.length, 1, JSON.stringify(lines));
  assert.match(lines[0] ?? '', /NOPERM/);
  assert.match(lines[0] ?? '', /PUBLISH/i);
  assert.doesNotMatch(lines[0] ?? '', /unreachable/);
  assert.deepEqual(
    fallbacks.map((event) => event.type === 'fallback' && event.to),
    ['local'],
  );

  await admin.call('ACL', 'SETUSER', 'limited', '+publish');
  await waitUntil('the circuit uses the shared state', () => circuit.mode === 'shared');
  assert.equal(lines.length, 2, JSON.stringify(lines));
  assert.match(lines[1] ?? '', /is back/);
});
