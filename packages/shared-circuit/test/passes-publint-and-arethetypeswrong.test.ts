import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ROOT } from '../../../test/helpers/run-command.ts';

const run = promisify(execFile);
const PACKAGE = join(ROOT, 'packages/shared-circuit');

test('publint finds nothing to say about the package', { timeout: 120_000 }, async () => {
  const { stdout } = await run('npx', ['--no-install', 'publint', '--strict', PACKAGE], {
    cwd: ROOT,
  });
  assert.match(stdout, /All good!/);
});

test(
  'arethetypeswrong resolves every entry point for Node 16+ ESM and CJS and for bundlers',
  { timeout: 120_000 },
  async () => {
    // --profile node16: node10 resolution (no `exports`) is not supported. cjs-resolves-to-esm: on
    // Node >= 22.12 (the package's engines) require() loads ESM; the tarball test proves it.
    // attw exits 1 on any problem it does not ignore: run() rejects then.
    const { stdout } = await run(
      'npx',
      [
        '--no-install',
        'attw',
        '--pack',
        PACKAGE,
        '--profile',
        'node16',
        '--ignore-rules',
        'cjs-resolves-to-esm',
      ],
      { cwd: ROOT },
    );
    assert.match(stdout, /"shared-circuit\/metrics"/, 'both entry points were checked');
  },
);
