import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, relative } from 'node:path';
import { LIBRARIES } from '../libraries/registry.ts';
import { loadReferenceFixtures, REFERENCE_FOLDER } from '../conformance/reference-fixture.ts';
import { runConformance } from '../conformance/run-conformance.ts';
import { formatConformance } from '../conformance/conformance-report.ts';
import { renderMatrixDoc } from '../matrix/matrix-doc.ts';
import { loadScenarioFolder, runMatrix } from '../matrix/run-matrix.ts';
import { writeTimelinePage } from '../report/timeline/page.ts';
import { SPEED_RANGE } from '../scenario/scenario-bounds.ts';
import { matrixFleet } from '../matrix/matrix-fleet.ts';
import { isMain, runMain } from './main-guard.ts';
import { parsePositive } from './numbers.ts';
import { commandLine } from './command-line.ts';
import { fromOption } from './option-context.ts';
import { UsageError } from './usage-error.ts';

export const MATRIX_COMMAND = commandLine({
  usage: 'npm run matrix -- [options]',
  about: `Runs every scenario in scenarios/ for every library and writes the behaviour matrix (Markdown)
and one HTML page with the timeline of every run; the matrix's agreement row comes from a run of
every reference fixture (as \`npm run conformance\`).

With a Redis answering at REDIS_URL (default redis://127.0.0.1:6379), the shared circuit gets a
column too (fleet, its keys deleted after the run); without one, a line says it was skipped and why.

Rewrites two files tracked in git, docs/behaviour-matrix.md and docs/behaviour-timelines.html,
unless --out and --report name others.`,
  options: {
    speed: {
      value: '<x>',
      help: `run every scenario x times faster, ${SPEED_RANGE.min} to ${SPEED_RANGE.max} (default 10)`,
    },
    only: {
      value: '<ids>',
      help: 'comma list of scenario ids (file names without .json) to run (default: all)',
    },
    scenarios: { value: '<dir>', help: 'folder of scenario files (default scenarios)' },
    out: { value: '<file>', help: 'the matrix (default docs/behaviour-matrix.md)' },
    report: { value: '<file>', help: 'the timelines page (default docs/behaviour-timelines.html)' },
    fixtures: {
      value: '<dir>',
      help: 'reference fixtures for the agreement row (default test/fixtures/reference)',
    },
    'fleet-namespace': {
      value: '<ns>',
      help: "the shared circuit's Redis namespace, deleted after the run (default matrix-<random>)",
    },
    help: { help: 'show this help' },
  },
});

export async function main(argv: readonly string[]): Promise<number> {
  const values = MATRIX_COMMAND.parse(argv);
  if (values.help) return MATRIX_COMMAND.printHelp();
  const speed = values.speed === undefined ? 10 : parsePositive('--speed', values.speed);
  if (speed < SPEED_RANGE.min || speed > SPEED_RANGE.max) {
    throw new UsageError(
      `--speed must be from ${SPEED_RANGE.min} to ${SPEED_RANGE.max}, got "${values.speed}"`,
    );
  }
  const folder = values.scenarios ?? 'scenarios';
  const out = values.out ?? 'docs/behaviour-matrix.md';
  const report = values.report ?? 'docs/behaviour-timelines.html';
  for (const [option, file] of [
    ['--out', out],
    ['--report', report],
  ] as const) {
    if (existsSync(file) && statSync(file).isDirectory()) {
      throw new UsageError(`${option} ${file} is a folder; give a file name`);
    }
  }
  let files = fromOption(`--scenarios ${folder}`, () => loadScenarioFolder(folder));
  if (values.only !== undefined) {
    const ids = values.only.split(',').map((id) => id.trim());
    const unknown = ids.filter((id) => !files.some((file) => file.id === id));
    if (unknown.length > 0) {
      throw new UsageError(
        `--only: no scenario "${unknown.join('", "')}" in ${folder}; valid: ${files.map((file) => file.id).join(', ')}`,
      );
    }
    files = files.filter((file) => ids.includes(file.id));
  }

  const fixturesFolder = values.fixtures ?? REFERENCE_FOLDER;
  const fixtures = fromOption('--fixtures', () => loadReferenceFixtures(fixturesFolder), ' ');
  // The shared circuit joins when a Redis answers; without one its column is left out, saying why.
  const fleet = await matrixFleet(process.env, values['fleet-namespace']);
  if (fleet.kind === 'skipped') console.error(fleet.line);
  let rows;
  try {
    rows = await runMatrix({
      files,
      libraries: [...Object.values(LIBRARIES), ...(fleet.kind === 'joined' ? [fleet.library] : [])],
      speed,
      onProgress: ({ index, total, id, done }) => {
        const step = `[${index + 1}/${total}] ${id}`;
        console.error(
          done ? `${step}: done in ${done.seconds.toFixed(1)} s` : `${step}: running...`,
        );
      },
    });
  } finally {
    if (fleet.kind === 'joined') await fleet[Symbol.asyncDispose]();
  }
  // The agreement row: every reference fixture for every library, as `npm run conformance` runs it.
  console.error(`conformance: ${fixtures.length} reference fixtures for every library...`);
  const conformance = await runConformance({ fixtures, libraries: Object.values(LIBRARIES) });
  const reference = fixtures[0]?.reference;
  const referenceName = reference ? `${reference.package} ${reference.version}` : 'the reference';
  console.error(formatConformance(conformance, referenceName));
  await writeTimelinePage(
    rows.map((row) => ({
      heading: `${row.file.title} (${row.file.id})`,
      note: row.file.question,
      trace: row.trace,
    })),
    'Behaviour matrix: the timeline of every run',
    report,
  );
  await mkdir(dirname(out), { recursive: true });
  await writeFile(
    out,
    renderMatrixDoc(rows, {
      speed,
      generatedAt: new Date(),
      node: process.versions.node,
      cpu: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
      timelines: relative(dirname(out), report),
      fleet:
        fleet.kind === 'joined'
          ? { joined: true, lost: fleet.logged }
          : { joined: false, line: fleet.line },
      conformance: {
        result: conformance,
        reference: referenceName,
      },
    }),
  );
  console.error(`Wrote ${out} and ${report}`);
  return 0;
}

if (isMain(import.meta.url)) await runMain(() => main(process.argv.slice(2)));
