import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScript } from './helpers/run-command.ts';

const ROW = /^ {2}(opossum|cockatiel|mollitia)\s+([x.]+)\s+opened at call (\d+): .*$/;

const failures = (outcomes: string) => outcomes.split('x').length - 1;

/**
 * Each library's documented rule, as configured in the recipe, evaluated after every call of the
 * run it printed: the first call after which the rule holds is where the circuit must open.
 */
const rules: Record<string, (outcomes: string) => boolean> = {
  // errorThresholdPercentage 50 (strictly more), volumeThreshold 10, window longer than the run.
  opossum: (o) => o.endsWith('x') && o.length >= 10 && failures(o) / o.length > 0.5,
  // SamplingBreaker threshold 0.5 (strictly more), 5 s at >= 2 calls/s: at least 10 calls.
  cockatiel: (o) => o.endsWith('x') && o.length >= 10 && failures(o) > 0.5 * o.length,
  // SlidingCountBreaker: 50% or more of the last 10 calls, once 10 calls were made.
  mollitia: (o) => o.endsWith('x') && o.length >= 10 && failures(o.slice(-10)) / 10 >= 0.5,
};

test('each rate-based breaker opens on the flaky server exactly when its failure rate passes its threshold', async () => {
  const result = await runScript('examples/recipes/failure-rate.ts', []);
  assert.equal(result.code, 0, result.stderr);
  const rows = result.stdout
    .split('\n')
    .map((line) => ROW.exec(line))
    .filter((match) => match !== null);
  assert.deepEqual(
    rows.map(([, library]) => library),
    ['opossum', 'cockatiel', 'mollitia'],
    result.stdout,
  );
  for (const [, library = '', outcomes = '', openedAt] of rows) {
    const rule = rules[library];
    assert.ok(rule);
    const expected = [...outcomes].findIndex((_, i) => rule(outcomes.slice(0, i + 1))) + 1;
    assert.ok(expected > 0, `${library}: its rule never held on ${outcomes}`);
    assert.equal(Number(openedAt), expected, `${library} on ${outcomes}`);
    assert.equal(outcomes.length, expected, `${library} made no call after it opened`);
  }
  // The flaky server is not all-failing: successes came in between the failures.
  for (const [, , outcomes = ''] of rows) assert.ok(outcomes.includes('.'));
  // Once open, no call reaches the server.
  assert.equal(result.stdout.match(/3 more calls: 0 reached the server/g)?.length, 3);
});
