import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { test as redisTest } from './helpers/redis-test.ts';
import { privateRedis } from './helpers/redis.ts';
import { runScript } from './helpers/run-command.ts';

// Benchmarks are not tests: no figure is checked here, only that the code runs and that the
// result files keep the shapes other tools read.

const RUNNER = 'bench/run.ts';

async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

function assertNumber(value: unknown, what: string): void {
  assert.equal(typeof value, 'number', `${what} is a number`);
  assert.ok(Number.isFinite(value), `${what} is finite, got ${String(value)}`);
}

redisTest(
  'a quick bench run exits 0 and writes the fixed-shape result files to --out',
  async (t) => {
    const out = await mkdtemp(join(tmpdir(), 'bench-smoke-'));
    t.after(() => rm(out, { recursive: true, force: true }));
    // A Redis of its own: the keyed-circuits run counts the connections that appear in CLIENT LIST,
    // and other tests' circuits on a shared Redis would be counted with its own.
    const redis = await privateRedis(t);

    const result = await runScript(RUNNER, ['--quick', '--out', out], {
      timeoutMs: 120_000,
      env: { REDIS_URL: redis.url },
    });
    assert.equal(result.code, 0, result.stderr);

    const overhead = await readJson(join(out, 'overhead.json'));
    assert.ok(Array.isArray(overhead['rows']), 'overhead.json has rows');
    const rows = overhead['rows'] as Record<string, unknown>[];
    assert.deepEqual(
      rows.map((row) => row['library']),
      ['opossum', 'cockatiel', 'mollitia'],
    );
    for (const row of rows) {
      for (const field of ['bareNsPerCall', 'directNsPerCall', 'adapterNsPerCall']) {
        assertNumber(row[field], `${String(row['library'])}.${field}`);
      }
    }

    const server = await readJson(join(out, 'server.json'));
    assertNumber(server['mockRps'], 'mockRps');
    assertNumber(server['bareRps'], 'bareRps');

    const keyed = await readJson(join(out, 'keyed-circuits.json'));
    assertNumber(keyed['heapBytesPerCircuit'], 'keyed-circuits heapBytesPerCircuit');
    assert.equal(keyed['connections'], 2, 'the keyed circuits open one connection pair');
    for (const name of ['overhead', 'hanging-server', 'many-circuits', 'server']) {
      const file = await readJson(join(out, `${name}.json`));
      const environment = file['environment'] as Record<string, unknown> | undefined;
      assert.equal(environment?.['node'], process.version, `${name}.json records the Node version`);
      assert.equal(environment?.['quick'], true, `${name}.json says it was a quick run`);
    }
  },
);

test('--help prints the usage and exits 0', async () => {
  const result = await runScript(RUNNER, ['--help']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Usage: npm run bench/);
  assert.match(result.stdout, /--out <dir>/);
});

test('bad input fails with one line and exit code 2, without running anything', async () => {
  for (const args of [['--frobnicate'], ['--only', 'nope'], ['--out']]) {
    const result = await runScript(RUNNER, args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /^error: /);
    assert.equal(result.stdout, '');
  }
});
