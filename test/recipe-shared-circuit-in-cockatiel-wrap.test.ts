import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { redisUrl } from './helpers/redis.ts';
import { runScript } from './helpers/run-command.ts';

const ROW =
  /^ {2}call (\d)\s+reached server (\d+)\s+(HTTP 503|rejected \(fleet\)|success)\s+circuit (\S+)$/gm;

test('the shared circuit inside cockatiel wrap(): the retry outside stops at the first rejection, the trial closes it', async (t) => {
  const result = await runScript('examples/recipes/shared-circuit-in-wrap.ts', [], {
    env: { REDIS_URL: await redisUrl(t) },
  });
  assert.equal(result.code, 0, result.stderr);
  const rows = [...result.stdout.matchAll(ROW)].map(([, , reached, outcome, state]) => [
    Number(reached),
    outcome,
    state,
  ]);
  assert.deepEqual(rows, [
    [3, 'HTTP 503', 'open'], // three attempts, each counted by the fleet's circuit, the third opens it
    [0, 'rejected (fleet)', 'open'], // the retry does not retry a rejection
    [0, 'rejected (fleet)', 'open'],
    [1, 'success', 'closed'], // the trial
    [1, 'success', 'closed'],
  ]);
});
