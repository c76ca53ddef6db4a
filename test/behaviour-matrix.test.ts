import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LIBRARIES } from '../src/libraries/registry.ts';
import { runFacts } from '../src/matrix/facts.ts';
import { renderMatrixDoc } from '../src/matrix/matrix-doc.ts';
import { runMatrix, type MatrixRow } from '../src/matrix/run-matrix.ts';
import { loadScenarioFile } from '../src/scenario/scenario-file.ts';
import { ROOT, runScript } from './helpers/run-command.ts';
import { REJECTION_MAX_MS, SPEED } from './helpers/timing.ts';

let rows: Promise<MatrixRow[]> | undefined;
/** One reduced matrix run shared by the tests below (three scenarios at SPEED). */
function reducedMatrix(): Promise<MatrixRow[]> {
  rows ??= runMatrix({
    files: ['hang', 'ignored-404', 'concurrent-trial'].map((id) =>
      loadScenarioFile(`scenarios/${id}.json`),
    ),
    libraries: Object.values(LIBRARIES),
    speed: SPEED,
  });
  return rows;
}

async function row(id: string): Promise<MatrixRow> {
  const found = (await reducedMatrix()).find((candidate) => candidate.file.id === id);
  assert.ok(found, id);
  return found;
}

test('hanging server: every library makes 3 callers wait the request timeout, then rejects fast', async () => {
  const { trace } = await row('hang');
  for (const run of trace.runs) {
    const facts = runFacts(trace, run);
    assert.equal(facts.failuresBeforeOpen, 3, run.library);
    for (const record of run.calls.filter((call) => call.outcome === 'failure')) {
      assert.ok(
        record.latency >= trace.scenario.requestTimeout * 0.95,
        `${run.library} call ${record.call} waited ${record.latency}`,
      );
      assert.match(record.error ?? '', /no answer within/);
    }
    assert.ok(facts.rejected >= 5, `${run.library} rejected ${facts.rejected}`);
    assert.ok(
      (facts.slowestRejectionMs ?? Infinity) < REJECTION_MAX_MS,
      `${run.library}: ${facts.slowestRejectionMs} ms`,
    );
  }
});

test('errors the filter ignores never open any circuit and still reach the caller', async () => {
  const { trace } = await row('ignored-404');
  for (const run of trace.runs) {
    assert.equal(run.summary.opened, 0, run.library);
    assert.equal(run.calls.filter((call) => call.outcome === 'ignored').length, 8, run.library);
    assert.ok(run.calls.every((call) => call.state === 'closed'));
    assert.equal(run.summary.reachedServer, 12);
  }
});

test('10 callers at the reset: one trial everywhere; opossum and mollitia reject the rest, cockatiel holds them', async () => {
  const { trace, cells } = await row('concurrent-trial');
  for (const run of trace.runs) {
    const trialCall = run.calls.find((call) => call.trial)?.call;
    const batch = run.calls.filter((call) => call.call === trialCall);
    assert.equal(batch.length, 10);
    assert.equal(batch.filter((call) => call.trial).length, 1, `${run.library}: one trial`);
    const rejected = batch.filter((call) => call.outcome === 'rejected').length;
    if (run.library === 'cockatiel') {
      // Held until the trial succeeded, then sent: all 10 of the batch reached the server.
      assert.equal(rejected, 0);
      assert.ok(batch.every((call) => call.outcome === 'success'));
      assert.match(cells.get('cockatiel')?.text ?? '', /9 waited for the trial/);
    } else {
      assert.equal(rejected, 9, run.library);
      assert.match(cells.get(run.library)?.text ?? '', /9 rejected at once/);
    }
  }
});

test('the matrix document has a row per scenario, a column per library and numbered notes', async () => {
  const doc = renderMatrixDoc(await reducedMatrix(), {
    speed: SPEED,
    generatedAt: new Date('2026-01-01T00:00:00Z'),
    node: '20.20.2',
    cpu: 'test CPU',
  });
  assert.match(
    doc,
    /^\| Scenario \| opossum \d+\.\d+\.\d+ \| cockatiel \d+\.\d+\.\d+ \| mollitia \d+\.\d+\.\d+ \|$/m,
  );
  for (const id of ['hang', 'ignored-404', 'concurrent-trial']) {
    assert.match(doc, new RegExp(`^\\| \\*\\*[^|]+\\*\\* \\(\`${id}\`\\)`, 'm'));
    assert.ok(doc.includes(`npm start -- --scenario scenarios/${id}.json --speed ${SPEED}`));
  }
  assert.match(doc, /\[\(1\)\]\(#note-1\)/);
  assert.match(
    doc,
    /<a id="note-1"><\/a>\*\*\(1\) Concurrent callers at the reset, cockatiel\.\*\* Measured: 9 callers were held/,
  );
});

test('npm run matrix writes the document and the timelines page, with a progress line per scenario', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'matrix-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const out = join(dir, 'matrix.md');
  const report = join(dir, 'timelines.html');
  // Two reference fixtures keep the agreement row's conformance run short.
  const fixtures = join(dir, 'fixtures');
  await mkdir(fixtures);
  for (const name of ['seed.json', 'scenario-http-503.json'])
    await copyFile(join(ROOT, 'test/fixtures/reference', name), join(fixtures, name));
  const result = await runScript('src/cli/matrix.ts', [
    '--only',
    'seed,slow',
    '--speed',
    '20',
    '--out',
    out,
    '--report',
    report,
    '--fixtures',
    fixtures,
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stderr,
    /^\[1\/2\] seed: running\.\.\.\n\[1\/2\] seed: done in [\d.]+ s\n\[2\/2\] slow: running/,
  );
  const doc = await readFile(out, 'utf8');
  assert.match(doc, /The seed's scenario/);
  assert.match(doc, /timeouts count: opened after 3 timeouts/);
  // The agreement row: cockatiel and mollitia match both reference fixtures call by call (and
  // the shared circuit's column, there when a Redis answers, has no conformance run).
  assert.match(
    doc,
    /^\| \*\*Agreement with the seed's package\*\*[^|]+\| \d \/ 2 \| 2 \/ 2 \| 2 \/ 2 \|(?: - \|)?$/m,
  );
  const html = await readFile(report, 'utf8');
  assert.equal((html.match(/<section class="timeline">/g) ?? []).length, 2);
});

test('npm run matrix rejects an unknown scenario id with one line and exit code 2', async () => {
  const result = await runScript('src/cli/matrix.ts', ['--only', 'seed,nope']);
  assert.equal(result.code, 2);
  assert.equal(
    result.stderr,
    'error: --only: no scenario "nope" in scenarios; valid: bad-caller-min-processes-1, bad-caller-min-processes-2, concurrent-trial, failure-rate, flapping, half-open-sampling, hang, http-503, ignored-404, long-outage, seed, slow\n',
  );
});
