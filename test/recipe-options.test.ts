import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { ROOT, runScript } from './helpers/run-command.ts';

const RECIPES = [
  'fallback',
  'retry',
  'per-host',
  'failure-rate',
  'restart-state',
  'half-open-sampling',
  'shared-circuit-in-wrap',
];

test('every recipe refuses an option with one line and exit code 2, before starting anything', async () => {
  for (const recipe of RECIPES) {
    const result = await runScript(`examples/recipes/${recipe}.ts`, ['--speed', '10']);
    assert.equal(result.code, 2, recipe);
    assert.equal(result.stderr, 'error: unknown option --speed; this recipe takes none\n');
    assert.equal(result.stdout, '');
  }
});

test('a recipe answers --help with its command and exit code 0', async () => {
  const result = await runScript('examples/recipes/retry.ts', ['--help']);
  assert.equal(result.code, 0);
  assert.equal(result.stdout, 'Usage: npm run example:retry (no options)\n');
});

test('every recipe file has its npm run example:<name> script, and every such script a file', async () => {
  const files = (await readdir(`${ROOT}examples/recipes`)).map((file) => file.replace(/\.ts$/, ''));
  assert.deepEqual(files.sort(), [...RECIPES].sort());
  const { scripts } = JSON.parse(await readFile(`${ROOT}package.json`, 'utf8')) as {
    scripts: Record<string, string>;
  };
  for (const recipe of RECIPES) {
    assert.equal(scripts[`example:${recipe}`], `tsx examples/recipes/${recipe}.ts`);
  }
});
