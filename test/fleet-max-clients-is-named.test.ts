import assert from 'node:assert/strict';
import { SharedCircuit } from 'shared-circuit';
import { test } from './helpers/redis-test.ts';
import { cleanUp, inspector, privateRedis, uniqueNamespace } from './helpers/redis.ts';
import { FLEET_DEADLINE_MS, waitUntil } from './helpers/timing.ts';

test('a Redis at its maxclients is named as such in the log line, not as "write EPIPE", and shared again once it has room', async (t) => {
  const server = await privateRedis(t);
  const admin = inspector(t, server.url);
  await admin.config('SET', 'maxclients', '2');
  const filler = inspector(t, server.url);
  await filler.ping(); // the second and last connection the server takes

  const lines: string[] = [];
  const circuit = new SharedCircuit({
    name: 'quotes',
    namespace: uniqueNamespace('max-clients'), // a private Redis, stopped with its keys
    redisUrl: server.url,
    failures: 3,
    resetTimeoutMs: 60_000,
    redisTimeoutMs: FLEET_DEADLINE_MS,
    connectTimeoutMs: FLEET_DEADLINE_MS,
    log: (line) => lines.push(line),
  });
  cleanUp(t, () => circuit.dispose());
  assert.equal(await circuit.ready(), 'local');
  assert.equal(lines.length, 1, JSON.stringify(lines));
  assert.match(lines[0] ?? '', /max number of clients reached/);
  assert.doesNotMatch(lines[0] ?? '', /EPIPE|ECONNRESET|unreachable/);

  await admin.config('SET', 'maxclients', '10');
  await waitUntil('the circuit uses the shared state', () => circuit.mode === 'shared');
  assert.equal(lines.length, 2, JSON.stringify(lines));
  assert.match(lines[1] ?? '', /is back/);
});
