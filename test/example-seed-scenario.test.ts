import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScript } from './helpers/run-command.ts';
import { seedExpectations } from './helpers/seed-sequence.ts';
import { MIN_STEP_BETWEEN_CALLS, SPEED, timeTillOpenTolerance, within } from './helpers/timing.ts';

const SEED_LINE =
  /^get_greeting circuit state: (closed|open|half-open)\. Time till open: (-?\d+(?:\.\d+)?)$/;

for (const library of ['opossum', 'cockatiel', 'mollitia']) {
  test(`${library} example prints the seed's sequence at ${SPEED}x and exits by itself`, async () => {
    const result = await runScript(`examples/${library}.ts`, [
      '--speed',
      String(SPEED),
      '--port',
      '0',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'Server is turned OFF...');
    const onAt = lines.indexOf('Server is turning ON...');
    assert.equal(lines.slice(1, onAt).filter((line) => SEED_LINE.test(line)).length, 10);

    const seedLines = lines.filter((line) => SEED_LINE.test(line));
    const expected = seedExpectations();
    assert.equal(seedLines.length, expected.length);
    seedLines.forEach((line, index) => {
      const [, state, seconds] = SEED_LINE.exec(line) ?? [];
      const want = expected[index];
      assert.ok(want);
      assert.equal(state, want.state, `call ${index + 1}: ${line}`);
      if (want.callsSinceOpened === null) {
        assert.equal(
          Number(seconds),
          6,
          `call ${index + 1}: before the first open the full timeout`,
        );
      } else {
        const tolerance = timeTillOpenTolerance(want.callsSinceOpened);
        assert.ok(
          within(Number(seconds), want.timeTillOpen, tolerance),
          `call ${index + 1}: ${seconds} not within ${tolerance} of ${want.timeTillOpen}`,
        );
      }
    });
    // Between two re-openings the printed time falls by at least one delay per call.
    const times = seedLines.map((line) => Number(SEED_LINE.exec(line)?.[2]));
    expected.forEach((want, index) => {
      const previous = expected[index - 1];
      if (!previous || previous.callsSinceOpened === null || want.callsSinceOpened === 0) return;
      const step = (times[index - 1] ?? 0) - (times[index] ?? 0);
      assert.ok(
        step >= MIN_STEP_BETWEEN_CALLS,
        `call ${index + 1}: fell by ${step}, less than a delay`,
      );
    });
    // The seed's access log: one line per request that reached the server (calls 15-20).
    assert.equal(lines.filter((line) => line.includes('"GET / HTTP/1.1" 200 -')).length, 6);
  });
}

test('an example rejects a malformed --speed with one line and exit code 2', async () => {
  for (const bad of ['0', '-1', 'fast']) {
    const result = await runScript('examples/cockatiel.ts', ['--speed', bad]);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, `error: --speed must be a number > 0, got "${bad}"\n`);
    assert.equal(result.stdout, '');
  }
});

test('an example rejects an unknown option with one line and exit code 2', async () => {
  const result = await runScript('examples/opossum.ts', ['--fast']);
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /^error: unknown option --fast; valid options: --speed <x>, --port <n>, --help\n$/,
  );
});

test('SPEED in the environment sets the speed of an example', async () => {
  const result = await runScript('examples/mollitia.ts', ['--port', '0'], { env: { SPEED: '20' } });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.split('\n').filter((line) => SEED_LINE.test(line)).length, 20);
  const bad = await runScript('examples/mollitia.ts', [], { env: { SPEED: 'nope' } });
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, 'error: SPEED must be a number > 0, got "nope"\n');
});
