import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { resolveOptions } from '../packages/shared-circuit/src/shared-circuit-options.ts';
import { SharedCircuit } from 'shared-circuit';
import { cleanUp, inspector, privateRedis, uniqueNamespace } from './helpers/redis.ts';
import { waitUntil } from './helpers/timing.ts';

const SECRET = 'hunter2-secret';

test('no password appears in a log line, whatever form the URL gives it in', async (t) => {
  const redis = await privateRedis(t);
  await inspector(t, redis.url).config('SET', 'requirepass', SECRET);
  const forms = [
    `redis://:${SECRET}@127.0.0.1:${redis.port}`,
    `redis://default:${SECRET}@127.0.0.1:${redis.port}/0`,
    `redis://127.0.0.1:${redis.port}?password=${SECRET}`,
  ];
  const lines: string[] = [];
  const circuits = forms.map((redisUrl) => {
    const circuit = new SharedCircuit({
      name: 'vault',
      namespace: uniqueNamespace('secrets'),
      redisUrl,
      failures: 1,
      resetTimeoutMs: 60_000,
      log: (line) => lines.push(line),
    });
    cleanUp(t, () => circuit.dispose());
    return circuit;
  });
  for (const circuit of circuits)
    assert.equal(await circuit.ready(), 'shared', 'the password works');
  await redis.stop();
  await waitUntil('every circuit logged the outage', () => lines.length === forms.length);
  for (const line of lines) {
    assert.match(line, /unreachable/);
    assert.doesNotMatch(line, new RegExp(SECRET), line);
  }
});

test('no password appears in the error for a bad URL', () => {
  for (const redisUrl of [`http://:${SECRET}@host`, `redis://:${SECRET}@`, `redis//:${SECRET}@h`]) {
    assert.throws(
      () => resolveOptions({ name: 'vault', failures: 1, resetTimeoutMs: 1, redisUrl }),
      (error: Error) => error.message.includes('REDIS_URL') && !error.message.includes(SECRET),
      redisUrl,
    );
  }
});
