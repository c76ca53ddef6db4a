import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScript } from './helpers/run-command.ts';
import { SPEED } from './helpers/timing.ts';

// The flapping schedule of lab-schedules.test.ts: opossum's window still holds the recovery's
// successes when the second outage starts, so it opens later than N consecutive failures.
const FLAPPING = [
  ...['--schedule', 'off:4,on:3,off:5,on:4', '--failures', '2', '--reset-timeout', '2.5'],
  ...['--speed', String(SPEED), '--port', '0'],
];

test('the lab says in one line, under the summary, which library departs from the reference and why', async () => {
  const result = await runScript('src/cli/lab.ts', [...FLAPPING, '--library', 'opossum,cockatiel']);
  assert.equal(result.code, 0, result.stderr);
  const departures = result.stdout.split('\n').filter((line) => line.includes('departs from'));
  assert.equal(departures.length, 1, result.stdout);
  assert.match(
    departures[0] ?? '',
    /^opossum departs from the reference from call \d+ \(failure, closed where the seed's circuitbreaker gives failure, open\): opossum opens on a failure rate over a rolling window, not on N consecutive failures; see docs\/behaviour-matrix\.md$/,
  );
  const summaryAt = result.stdout.indexOf('\nlibrary ');
  assert.ok(summaryAt > 0 && result.stdout.indexOf('departs from') > summaryAt);
});

test('no departure line when every library follows the reference', async () => {
  const result = await runScript('src/cli/lab.ts', [
    ...FLAPPING,
    '--library',
    'cockatiel,mollitia',
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.ok(!result.stdout.includes('departs from'), result.stdout);
});
