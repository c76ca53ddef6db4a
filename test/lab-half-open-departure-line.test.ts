import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScript } from './helpers/run-command.ts';
import { SPEED } from './helpers/timing.ts';

// Opened by 3 failures; then a server failing every other request: each library's trials meet
// success, failure, success, failure. 4 trials of which 1 may fail: the asked behaviour re-opens.
const SAMPLING = [
  ...['--schedule', 'off:3,fail-every=2:10', '--failures', '3', '--reset-timeout', '3.7'],
  ...['--half-open-calls', '4', '--half-open-failure-share', '0.25'],
  ...['--speed', String(SPEED), '--port', '0'],
];

test('with several half-open trials the lab names the sampling and says why opossum and mollitia depart from it', async () => {
  const result = await runScript('src/cli/lab.ts', SAMPLING);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Scenario: .*, 4 half-open trials, 1 may fail \(share 0\.25\)$/m);
  const departures = result.stdout.split('\n').filter((line) => line.includes(' departs from '));
  assert.deepEqual(
    departures.map((line) => line.split(' ')[0]),
    ['opossum', 'mollitia'],
    result.stdout,
  );
  const [opossum = '', mollitia = ''] = departures;
  assert.match(
    opossum,
    /^opossum departs from the asked behaviour from call \d+ \(success, closed where the model \(4 half-open trials, 1 may fail \(share 0\.25\)\) gives success, half-open\): .*opossum lets one trial call through while half-open, not 4/,
  );
  assert.match(
    mollitia,
    /^mollitia departs from the asked behaviour from call \d+ \(failure, closed where the model .* gives failure, open\): mollitia judges its 4 half-open trials .* it re-opens when 4 of them failed, not 2; see docs\/behaviour-matrix\.md$/,
  );
});
