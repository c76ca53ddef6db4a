import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, relative } from 'node:path';
import { LIBRARIES } from '../breakers/libraries.ts';
import { loadReferenceFixtures, REFERENCE_FOLDER } from '../conformance/reference-fixture.ts';
import { runConformance } from '../conformance/run-conformance.ts';
import { formatConformance } from '../conformance/conformance-report.ts';
import { renderMatrixDoc } from '../matrix/matrix-doc.ts';
import { loadScenarioFolder, runMatrix } from '../matrix/run-matrix.ts';
import { writeTimelinePage } from '../report/timeline-html.ts';
import { isMain, runMain } from './main-guard.ts';
import { parsePositive } from './numbers.ts';
import { parseCommandLine } from './parse-command-line.ts';
import { UsageError } from './usage-error.ts';

const USAGE = `Usage: npm run matrix -- [options]

Runs every scenario in scenarios/ for every library and writes the behaviour matrix (Markdown)
and one HTML page with the timeline of every run; the matrix's agreement row comes from a run of
every reference fixture (as \`npm run conformance\`).

Options:
  --speed <x>        run every scenario x times faster (default 10)
  --only <ids>       comma list of scenario ids (file names without .json) to run (default: all)
  --scenarios <dir>  folder of scenario files (default scenarios)
  --out <file>       the matrix (default docs/behaviour-matrix.md)
  --report <file>    the timelines page (default docs/behaviour-timelines.html)
  --fixtures <dir>   reference fixtures for the agreement row (default test/fixtures/reference)
  --help             show this help`;

const VALID = '--speed, --only, --scenarios, --out, --report, --fixtures, --help';

export async function main(argv: readonly string[]): Promise<number> {
  const string = { type: 'string' } as const;
  const { values } = parseCommandLine(
    argv,
    {
      speed: string,
      only: string,
      scenarios: string,
      out: string,
      report: string,
      fixtures: string,
      help: { type: 'boolean' },
    },
    VALID,
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const speed = values.speed === undefined ? 10 : parsePositive('--speed', values.speed);
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
  let files = loadScenarioFolder(folder);
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

  const fixtures = loadReferenceFixtures(values.fixtures ?? REFERENCE_FOLDER);
  const rows = await runMatrix({
    files,
    libraries: Object.values(LIBRARIES),
    speed,
    onProgress: ({ index, total, id, done }) => {
      const step = `[${index + 1}/${total}] ${id}`;
      console.error(done ? `${step}: done in ${done.seconds.toFixed(1)} s` : `${step}: running...`);
    },
  });
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
