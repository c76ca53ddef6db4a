import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { isInputError } from '../src/input-error.ts';
import { loadScenarioFile } from '../src/scenario/scenario-file.ts';

/** A scenario file in a temporary folder with `halfOpen` set to `halfOpen`. */
async function fileWith(t: TestContext, halfOpen: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'scenario-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'sampling.json');
  await writeFile(file, JSON.stringify({ title: 't', question: 'q', schedule: 'off:3', halfOpen }));
  return file;
}

test('a scenario file asks for half-open trials and the share of them that may fail', async (t) => {
  const file = await fileWith(t, { calls: 4, failureShare: 0.25 });
  assert.deepEqual(loadScenarioFile(file).scenario.halfOpen, { calls: 4, failureShare: 0.25 });
});

test('a scenario file without halfOpen leaves the default to the libraries', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'scenario-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'plain.json');
  await writeFile(file, JSON.stringify({ title: 't', question: 'q', schedule: 'off:3' }));
  assert.equal('halfOpen' in loadScenarioFile(file).scenario, false);
});

test('a bad halfOpen is one line naming the file, the field and the value', async (t) => {
  const cases: [unknown, string][] = [
    [{ calls: 0, failureShare: 0 }, '"halfOpen.calls" must be a whole number >= 1, got 0'],
    [{ calls: 2.5 }, '"halfOpen.calls" must be a whole number >= 1, got 2.5'],
    [
      { calls: 4, failureShare: 1 },
      '"halfOpen.failureShare" must be a number from 0 to below 1 (0.25: a quarter of the trials may fail), got 1',
    ],
    [{ calls: 4, share: 0.5 }, 'unknown field "halfOpen.share"; valid: calls, failureShare'],
    [4, '"halfOpen" must be an object { "calls": <n>, "failureShare": <share> }, got 4'],
  ];
  for (const [halfOpen, message] of cases) {
    const file = await fileWith(t, halfOpen);
    assert.throws(
      () => loadScenarioFile(file),
      (error) => isInputError(error) && error.message === `${file}: ${message}`,
      JSON.stringify(halfOpen),
    );
  }
});
