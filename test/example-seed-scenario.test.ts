import assert from 'node:assert/strict';
import { suite, test } from 'node:test';
import { runScript } from './helpers/run-command.ts';
import { seedExpectations } from './helpers/seed-sequence.ts';
import {
  JUST_OPENED_TOLERANCE,
  MAX_STEP_BETWEEN_CALLS,
  MIN_STEP_BETWEEN_CALLS,
  SPEED,
  within,
} from './helpers/timing.ts';

const SEED_LINE =
  /^get_greeting circuit state: (closed|open|half-open)\. Time till open: (-?\d+(?:\.\d+)?)$/;

// shared-circuit uses REDIS_URL when it answers, else its in-process breaker: the same sequence.
// Two examples at a time: each mostly waits on its timers (its seed run is about 4.5 s at 5x).
suite('the four examples', { concurrency: 2 }, () => {
  for (const library of ['opossum', 'cockatiel', 'mollitia', 'shared-circuit']) {
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

      const printed = lines
        .map((line) => SEED_LINE.exec(line))
        .filter((match) => match !== null)
        .map(([, state, seconds]) => ({ state, seconds: Number(seconds) }));
      const expected = seedExpectations();
      // The exact state sequence of the seed.
      assert.deepEqual(
        printed.map((line) => line.state),
        expected.map((want) => want.state),
      );
      printed.forEach(({ seconds }, index) => {
        const want = expected[index];
        const previous = printed[index - 1];
        assert.ok(want);
        const where = `call ${index + 1}: ${seconds}`;
        if (want.callsSinceOpened === null) {
          assert.equal(seconds, 6, `${where}, before the first open the full timeout`);
        } else if (want.callsSinceOpened === 0) {
          assert.ok(
            within(seconds, 6, JUST_OPENED_TOLERANCE),
            `${where}, just (re-)opened: a fresh 6 s`,
          );
        } else if (previous) {
          // Between two openings the printed time falls by one delay per call, plus what the call took.
          const step = previous.seconds - seconds;
          assert.ok(step >= MIN_STEP_BETWEEN_CALLS, `${where}, fell by ${step}, less than a delay`);
          assert.ok(
            step <= MAX_STEP_BETWEEN_CALLS,
            `${where}, fell by ${step}, far more than a delay`,
          );
        }
      });
      // The seed's access log: one line per request that reached the server (calls 15-20).
      assert.equal(lines.filter((line) => line.includes('"GET / HTTP/1.1" 200 -')).length, 6);
    });
  }
});

test('an example rejects a malformed --speed with one line and exit code 2', async () => {
  for (const bad of ['0', 'fast', '1e-9']) {
    const result = await runScript('examples/cockatiel.ts', ['--speed', bad]);
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      `error: --speed must be a number from 0.01 to 1000, got "${bad}"\n`,
    );
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
  const started = performance.now();
  const result = await runScript('examples/mollitia.ts', ['--port', '0'], { env: { SPEED: '20' } });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.split('\n').filter((line) => SEED_LINE.test(line)).length, 20);
  assert.ok(performance.now() - started < 10_000, 'at 20x the 20 s scenario takes about 1 s');
  const bad = await runScript('examples/mollitia.ts', [], { env: { SPEED: 'nope' } });
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, 'error: SPEED must be a number from 0.01 to 1000, got "nope"\n');
});
