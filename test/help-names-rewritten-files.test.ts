import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { benchUsage } from '../bench/bench-options.ts';
import { MATRIX_COMMAND } from '../src/cli/matrix.ts';
import { SCREENSHOT_COMMAND } from '../src/cli/screenshot.ts';
import { ROOT } from './helpers/run-command.ts';

const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n');

// A newcomer running these should know beforehand that `git status` will show changes.
const COMMANDS: [string, string, readonly string[]][] = [
  [
    'npm run matrix',
    MATRIX_COMMAND.help,
    ['docs/behaviour-matrix.md', 'docs/behaviour-timelines.html'],
  ],
  ['npm run report:screenshot', SCREENSHOT_COMMAND.help, ['docs/images/timeline.png']],
  ['npm run bench', benchUsage(['overhead']), ['bench/results/tables.md']],
];

for (const [command, help, files] of COMMANDS) {
  test(`${command} --help says it rewrites the tracked files it writes`, () => {
    assert.match(help, /rewrites/i);
    for (const file of files) {
      assert.ok(help.includes(file), `${command} --help names ${file}`);
      assert.ok(tracked.includes(file), `${file} is tracked in git`);
    }
  });
}
