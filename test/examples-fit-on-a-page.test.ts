import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers/run-command.ts';

/** Short enough to read top to bottom: the library's code, not a command-line parser. */
const MAX_LINES = 90;

for (const [library, max] of [
  ['opossum', MAX_LINES],
  ['cockatiel', MAX_LINES],
  ['mollitia', MAX_LINES],
  ['shared-circuit', 60],
] as const) {
  test(`the ${library} example is at most ${max} lines`, () => {
    const text = readFileSync(join(ROOT, 'examples', `${library}.ts`), 'utf8');
    const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
    assert.ok(lines.length <= max, `examples/${library}.ts has ${lines.length} lines`);
  });
}
