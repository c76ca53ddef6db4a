import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from './helpers/redis-test.ts';
import {
  connectedCircuit,
  dropKeysAfter,
  inspector,
  redisUrl,
  uniqueNamespace,
} from './helpers/redis.ts';
import { waitUntil } from './helpers/timing.ts';

/** Long enough for the link to try to resume twice (a second, then two). */
const WATCH_MS = 2500;

test('a circuit whose key Redis answers with WRONGTYPE says so in one line, alone goes local, and resumes once the key is mended', async (t) => {
  const url = await redisUrl(t);
  const namespace = uniqueNamespace('redis-error');
  const admin = inspector(t, url);
  dropKeysAfter(t, admin, namespace);
  const lines: string[] = [];
  const options = { namespace, redisUrl: url, failures: 3, resetTimeoutMs: 60_000 };
  const log = (line: string) => lines.push(line);
  const broken = await connectedCircuit(t, { ...options, name: 'prices', log });
  const sound = await connectedCircuit(t, { ...options, name: 'quotes', log });
  await admin.set(`${namespace}:{prices}:state`, 'not a hash');

  const fail = () => Promise.reject(new Error('dependency down'));
  await broken.execute(fail).catch(() => {});
  assert.equal(broken.mode, 'local');
  const modes = { broken: new Set<string>(), sound: new Set<string>() };
  const watchUntil = performance.now() + WATCH_MS;
  while (performance.now() < watchUntil) {
    await broken.execute(fail).catch(() => {});
    modes.broken.add(broken.mode);
    modes.sound.add(sound.mode);
    await sleep(50);
  }
  assert.deepEqual([...modes.broken], ['local'], 'the broken circuit stays local, no flapping');
  assert.deepEqual([...modes.sound], ['shared'], 'the other circuit keeps the shared state');
  assert.equal(lines.length, 1, JSON.stringify(lines));
  assert.match(lines[0] ?? '', /answered with an error: WRONGTYPE/);
  assert.doesNotMatch(lines[0] ?? '', /unreachable/);

  await admin.del(`${namespace}:{prices}:state`);
  await waitUntil('the mended circuit uses the shared state', () => broken.mode === 'shared');
  assert.equal(lines.length, 2, JSON.stringify(lines));
  assert.match(lines[1] ?? '', /is back/);
});
