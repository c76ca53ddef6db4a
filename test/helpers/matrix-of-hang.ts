import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import type { TestContext } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runScript } from './run-command.ts';

/** `npm run matrix -- --only hang` into a temporary folder, one reference fixture for the agreement row. */
export async function matrixOfHang(t: TestContext, env: NodeJS.ProcessEnv, extra: string[] = []) {
  const dir = await mkdtemp(join(tmpdir(), 'matrix-fleet-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const fixtures = join(dir, 'fixtures');
  await mkdir(fixtures);
  await copyFile(
    join(ROOT, 'test/fixtures/reference/generated-05.json'),
    join(fixtures, 'generated-05.json'),
  );
  const out = join(dir, 'matrix.md');
  const result = await runScript(
    'src/cli/matrix.ts',
    [
      ...['--only', 'hang', '--speed', '20', '--fixtures', fixtures],
      ...['--out', out, '--report', join(dir, 'timelines.html'), ...extra],
    ],
    { env },
  );
  assert.equal(result.code, 0, result.stderr);
  return { stderr: result.stderr, doc: await readFile(out, 'utf8') };
}
