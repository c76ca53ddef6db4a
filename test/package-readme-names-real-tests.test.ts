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

test("every test the package README's Guarantees and Limits name is a file in test/", () => {
  const limits = [...section('Limits').matchAll(/`(fleet-[\w-]+)`/g)].map((match) => match[1]!);
  const missing = [...guaranteeTests(), ...limits].filter(
    (name) => !existsSync(join(ROOT, 'test', `${name}.test.ts`)),
  );
  assert.deepEqual(missing, []);
});
