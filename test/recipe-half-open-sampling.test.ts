import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScript } from './helpers/run-command.ts';

const HEADER = /^halfOpenSampling \{ calls: (\d+), threshold: ([\d.]+) \}|^no halfOpenSampling/;
const TRIAL =
  /^ {4}trial (\d+) +(success|failure) +reached server (yes|no) +-> (\S+) +\((\d+) failed\)$/;

interface Trial {
  number: number;
  outcome: string;
  reached: boolean;
  state: string;
  failed: number;
}
interface Section {
  calls: number;
  threshold: number;
  /** The trials of each half-open state, in order. */
  states: Trial[][];
  lines: string[];
}

/** The recipe's output, cut into one section per sampling and one list per half-open state. */
function sections(stdout: string): Section[] {
  const found: Section[] = [];
  for (const line of stdout.split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      // Without the option cockatiel makes one trial and allows no failure.
      found.push({
        calls: Number(header[1] ?? 1),
        threshold: Number(header[2] ?? 0),
        states: [],
        lines: [],
      });
      continue;
    }
    const section = found.at(-1);
    assert.ok(section, `a line before any section: ${line}`);
    section.lines.push(line);
    if (line.includes(' ms later, ')) section.states.push([]);
    const trial = TRIAL.exec(line);
    if (trial) {
      const [, number, outcome = '', reached, state = '', failed] = trial;
      section.states.at(-1)?.push({
        number: Number(number),
        outcome,
        reached: reached === 'yes',
        state,
        failed: Number(failed),
      });
    }
  }
  return found;
}

test("cockatiel's half-open circuit stays half-open through the trials and closes or re-opens by the share", async () => {
  const result = await runScript('examples/recipes/half-open-sampling.ts', []);
  assert.equal(result.code, 0, result.stderr);
  const all = sections(result.stdout);
  assert.equal(all.length, 3, result.stdout);
  for (const { calls, threshold, states, lines } of all) {
    for (const trials of states) {
      assert.ok(trials.length > 0, result.stdout);
      for (const trial of trials) {
        // cockatiel's documented rule: re-open once failures > calls x threshold; close after
        // `calls` trials otherwise; stay half-open in between.
        const expected =
          trial.failed > calls * threshold
            ? 'open'
            : trial.number === calls
              ? 'closed'
              : 'half-open';
        assert.equal(trial.state, expected, `${calls} calls, ${threshold}, trial ${trial.number}`);
        assert.ok(trial.reached, 'every trial reaches the server');
      }
      assert.ok(trials.slice(0, -1).every((trial) => trial.state === 'half-open'));
    }
    // The half-broken server (fail-every=2) answers the first trial and fails the second.
    assert.deepEqual(
      states[0]?.slice(0, 2).map((trial) => trial.outcome),
      calls === 1 ? ['success'] : ['success', 'failure'],
    );
    const reopened = states[0]?.at(-1)?.state === 'open';
    if (reopened) assert.ok(lines.includes('    one more call: rejected, reached server no'));
    assert.equal(states.at(-1)?.at(-1)?.state, 'closed', 'each section ends closed');
  }
  const ends = all.map(({ calls, states }) => ({ calls, end: states[0]?.at(-1) }));
  assert.ok(
    ends.some(({ calls, end }) => end?.state === 'open' && end.number < calls),
    'a circuit re-opens before its last trial',
  );
  assert.ok(
    ends.some(({ end }) => end?.state === 'closed' && end.failed > 0),
    'a circuit closes with failed trials within the share',
  );
  assert.ok(
    ends.some(({ calls, end }) => calls === 1 && end?.state === 'closed'),
    'without the option one trial closes it',
  );
});
