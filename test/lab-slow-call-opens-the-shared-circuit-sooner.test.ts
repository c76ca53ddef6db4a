import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { redisUrl } from './helpers/redis.ts';
import { runScript } from './helpers/run-command.ts';

interface Run {
  library: string;
  calls: { call: number; outcome: string; state: string; timeTillRetry: number | null }[];
}

test('the lab with --slow-call 0.5 on a hanging server: the shared circuit opens when its calls turn slow, the in-process libraries at the request timeout', async (t) => {
  const result = await runScript(
    'src/cli/lab.ts',
    [
      '--scenario',
      'scenarios/hang.json',
      '--library',
      'cockatiel,fleet',
      '--slow-call',
      '0.5',
      '--concurrency',
      '3',
      '--speed',
      '5',
      '--port',
      '0',
      '--json',
    ],
    { env: { REDIS_URL: await redisUrl(t) }, timeoutMs: 90_000 },
  );
  assert.equal(result.code, 0, result.stderr);
  const trace = JSON.parse(result.stdout) as { runs: Run[] };
  const first = (library: string) =>
    trace.runs
      .find((run) => run.library === library)
      ?.calls.find((call) => call.call === 1 && call.state === 'open');
  const cockatiel = first('cockatiel');
  const fleet = first('fleet');
  assert.ok(cockatiel && fleet, 'both opened on the first call (3 callers, 3 failures)');
  // Time till the trial, read when the call's callers were done (after the 2 s timeout): the
  // shared circuit opened 1.5 s sooner (slow at 0.5 s), so 1.5 s less of its open period is left.
  const sooner = (cockatiel.timeTillRetry ?? 0) - (fleet.timeTillRetry ?? 0);
  assert.ok(sooner >= 1, `the shared circuit opened ${sooner.toFixed(2)} s sooner`);
});
