import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from '../../../test/helpers/redis-test.ts';
import { redisUrl, uniqueNamespace } from '../../../test/helpers/redis.ts';
import { deleteNamespace } from '../../../test/helpers/redis-namespace.ts';
import { ROOT } from '../../../test/helpers/run-command.ts';
import { after, before, test as plainTest } from 'node:test';

const run = promisify(execFile);
const PACKAGE = join(ROOT, 'packages/shared-circuit');
const STRANGER = join(PACKAGE, 'test/stranger');
const versionOf = (name: string) =>
  (createRequire(join(ROOT, 'package.json'))(`${name}/package.json`) as { version: string })
    .version;

/** `npm pack` as a publisher runs it: prepack builds dist/ first. Returns the tarball's path. */
async function pack(into: string): Promise<string> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', into], {
    cwd: PACKAGE,
  });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  assert.ok(packed);
  const files = packed.files.map((file) => file.path).sort();
  for (const needed of [
    'LICENSE',
    'README.md',
    'CHANGELOG.md',
    'package.json',
    'dist/index.js',
    'dist/index.d.ts',
    'dist/metrics-entry.js',
    'dist/cli.js',
  ]) {
    assert.ok(files.includes(needed), `the tarball lacks ${needed}: ${files.join(', ')}`);
  }
  const stray = files.filter((file) => /(^|\/)(test|src)\//.test(file) || /\.test\./.test(file));
  assert.deepEqual(stray, [], 'no tests or sources in the tarball');
  return join(into, packed.filename);
}

// Packed once for the file (prepack builds dist/): the stranger installs this tarball, and
// publint and arethetypeswrong read the same one.
const packed = mkdtempSync(join(tmpdir(), 'shared-circuit-packed-'));
let tarball = '';
before(async () => {
  tarball = await pack(packed);
});
after(() => rmSync(packed, { recursive: true, force: true }));

test(
  'the packed tarball installs into a new project and works from ESM, require() and TypeScript (nodenext) against a real Redis',
  { timeout: 180_000 },
  async (t) => {
    const url = await redisUrl(t);
    const dir = mkdtempSync(join(tmpdir(), 'shared-circuit-stranger-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const project = join(dir, 'project');
    cpSync(STRANGER, project, { recursive: true });
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'stranger', private: true, type: 'module' }),
    );
    // ioredis is the package's peer: the stranger installs it beside it, as its README says.
    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        tarball,
        `ioredis@${versionOf('ioredis')}`,
        `@types/node@${versionOf('@types/node')}`,
      ],
      { cwd: project },
    );
    assert.ok(
      !readdirSync(join(project, 'node_modules')).includes('prom-client'),
      'prom-client is optional',
    );

    const namespace = uniqueNamespace('stranger');
    const env = { ...process.env, REDIS_URL: url, NAMESPACE: namespace };
    const esm = await run(process.execPath, ['esm.mjs'], { cwd: project, env });
    assert.equal(esm.stdout, 'ready: shared\nrejected: true fleet open\n');

    const cjs = await run(process.execPath, ['cjs.cjs'], { cwd: project, env });
    assert.equal(
      cjs.stdout,
      'ready: shared\nrejected: true fleet open\n',
      'the second process saw the first one open it',
    );

    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project });
    const typed = await run(process.execPath, ['typed.ts'], { cwd: project, env });
    assert.equal(
      typed.stdout,
      'state: open; call: rejected by fleet; events: transition,rejected; reset: closed\n',
    );

    // The operator's command is the package's bin.
    const bin = await run(
      'npx',
      ['--no-install', 'shared-circuit', 'list', '--namespace', namespace, '--json'],
      { cwd: project, env },
    );
    const listed = JSON.parse(bin.stdout) as { circuits: { name: string; state: string }[] };
    assert.deepEqual(
      listed.circuits.map((circuit) => [circuit.name, circuit.state]),
      [['payments', 'closed']],
    );
    const bad = await run('npx', ['--no-install', 'shared-circuit', 'explode'], {
      cwd: project,
      env,
    }).catch((error: { code: number; stderr: string }) => error);
    assert.equal((bad as { code: number }).code, 2);
    assert.match(
      (bad as { stderr: string }).stderr,
      /^error: unknown command "explode"; valid: list, status, isolate, release, reset\n$/,
    );

    // The README's quick start, as written (its namespace made this run's own), from the tarball.
    const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
    const usage = readme.slice(readme.indexOf('## Usage'));
    const quickStart = /```js\n([\s\S]*?)```/.exec(usage)?.[1];
    assert.ok(quickStart, 'the README has a quick start');
    writeFileSync(
      join(project, 'quick-start.mjs'),
      quickStart.replace("namespace: 'shop'", `namespace: '${namespace}'`),
    );
    const quick = await run(process.execPath, ['quick-start.mjs'], { cwd: project, env });
    assert.equal(
      quick.stdout,
      [
        'failed',
        'failed',
        'failed',
        'rejected by the fleet circuit',
        'rejected by the fleet circuit',
      ]
        .map((what, i) => `call ${i + 1}: ${what === 'failed' ? 'failed (fetch failed)' : what}\n`)
        .join(''),
    );

    // Without prom-client the metrics subpath says so; the main entry never needed it.
    const metrics = await run(
      process.execPath,
      ['-e', "import('shared-circuit/metrics').catch((e) => console.log(e.code))"],
      { cwd: project, env },
    );
    assert.equal(metrics.stdout, 'ERR_MODULE_NOT_FOUND\n');

    await deleteNamespace(url, namespace);
  },
);

plainTest('publint finds nothing to say about the package', { timeout: 120_000 }, async () => {
  const { stdout } = await run('npx', ['--no-install', 'publint', 'run', '--strict', tarball], {
    cwd: ROOT,
  });
  assert.match(stdout, /All good!/);
});

plainTest(
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
        tarball,
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
