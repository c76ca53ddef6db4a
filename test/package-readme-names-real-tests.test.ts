import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers/run-command.ts';

const README = readFileSync(join(ROOT, 'packages/shared-circuit/README.md'), 'utf8');

/** The text between a heading and the next one of the same level. */
function section(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`);
  assert.notEqual(start, -1, `no "## ${heading}" in the package README`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end === -1 ? undefined : end);
}

/** The `fleet-...` names in the last column of each row of the Guarantees table. */
function guaranteeTests(): string[] {
  const rows = section('Guarantees')
    .split('\n')
    .filter((line) => line.startsWith('| ') && !/^\| (Fault|-)/.test(line));
  assert.ok(rows.length > 0, 'the Guarantees table has rows');
  return rows.flatMap((row) => {
    const cells = row.split('|');
    const names = [...(cells.at(-2) ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
    assert.ok(names.length > 0, `a row names no test: ${row.slice(0, 80)}`);
    return names;
  });
}

/** Where the tests are: the project's, and the package's own. */
const TEST_FOLDERS = ['test', 'packages/shared-circuit/test'];

test("every test the package README's Guarantees and Limits name is a file in test/ or the package's test/", () => {
  // A test's name is four or more words joined by hyphens, in backticks (no option looks so).
  const limits = [...section('Limits').matchAll(/`([a-z0-9]+(?:-[a-z0-9]+){3,})`/g)].map(
    (match) => match[1]!,
  );
  assert.ok(limits.length > 0, 'the Limits name their tests');
  const missing = [...guaranteeTests(), ...limits].filter(
    (name) => !TEST_FOLDERS.some((folder) => existsSync(join(ROOT, folder, `${name}.test.ts`))),
  );
  assert.deepEqual(missing, []);
});
