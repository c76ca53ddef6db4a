import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScript } from './helpers/run-command.ts';

const LAB = 'src/cli/lab.ts';

test('--scenario given a folder says it is a folder, in one line, and exits 2', async () => {
  const result = await runScript(LAB, ['--scenario', 'scenarios']);
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, '');
  assert.equal(
    result.stderr,
    'error: --scenario scenarios: is a folder, not a scenario file (such as scenarios/hang.json)\n',
  );
});

test('--scenario given a file that does not exist says so, in one line, and exits 2', async () => {
  for (const path of ['scenarios/nope.json', 'scenarios/hang.json/nope.json']) {
    const result = await runScript(LAB, ['--scenario', path]);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, `error: --scenario ${path}: no such file\n`);
  }
});
