import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { inspector, privateRedis } from './helpers/redis.ts';
import { runScript } from './helpers/run-command.ts';

test("npm start -- --library fleet deletes its shared circuit's keys from Redis when the run ends", async (t) => {
  const redis = await privateRedis(t);
  const run = await runScript(
    'src/cli/lab.ts',
    ['--library', 'fleet', '--schedule', 'off:4,on:2', '--speed', '20'],
    { env: { REDIS_URL: redis.url } },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^fleet +shared-circuit/m, 'the fleet ran');
  assert.deepEqual(await inspector(t, redis.url).keys('*'), [], 'no key left behind');
});
