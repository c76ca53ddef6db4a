import { IN_PROCESS_NAMES, LIBRARIES } from '../libraries/registry.ts';
import { formatConformance, formatConformanceJson } from '../conformance/conformance-report.ts';
import { loadReferenceFixtures, REFERENCE_FOLDER } from '../conformance/reference-fixture.ts';
import { DEFAULT_PARALLEL, runConformance } from '../conformance/run-conformance.ts';
import { isMain, runMain } from './main-guard.ts';
import { parseWhole } from './numbers.ts';
import { commandLine } from './command-line.ts';
import { fromOption } from './option-context.ts';
import { UsageError } from './usage-error.ts';

const CONFORMANCE_COMMAND = commandLine({
  usage: 'npm run conformance -- [options]',
  about: `Runs every reference fixture (what the seed's own Python package, circuitbreaker, did call by call
on a schedule; written by \`npm run reference\`) through the lab for every library, and prints per
library the fixtures it matched on every call, and for each other fixture the first call that differs.`,
  options: {
    library: {
      value: '<names>',
      help: `comma list of ${IN_PROCESS_NAMES.join(', ')} (default: all)`,
    },
    fixtures: { value: '<dir>', help: `folder of fixtures (default ${REFERENCE_FOLDER})` },
    parallel: {
      value: '<n>',
      help: `runs at once, each with its own mock server (default ${DEFAULT_PARALLEL})`,
    },
    json: {
      help: 'print { fixtures, libraries: { <name>: { matched, mismatches } } } and nothing else',
    },
    help: { help: 'show this help' },
  },
});

export async function main(argv: readonly string[]): Promise<number> {
  const values = CONFORMANCE_COMMAND.parse(argv);
  if (values.help) return CONFORMANCE_COMMAND.printHelp();
  const names = [
    ...new Set(values.library?.split(',').map((name) => name.trim()) ?? IN_PROCESS_NAMES),
  ];
  const unknown = names.filter((name) => !(IN_PROCESS_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(
      `--library: unknown library "${unknown.join('", "')}"; valid: ${IN_PROCESS_NAMES.join(', ')}`,
    );
  }
  const parallel =
    values.parallel === undefined ? DEFAULT_PARALLEL : parseWhole('--parallel', values.parallel);
  const folder = values.fixtures ?? REFERENCE_FOLDER;
  const fixtures = fromOption('--fixtures', () => loadReferenceFixtures(folder), ' ');
  const started = performance.now();
  let retries = 0;
  const result = await runConformance({
    fixtures,
    libraries: names.map((name) => LIBRARIES[name as keyof typeof LIBRARIES]),
    parallel,
    onRetry: () => (retries += 1),
    onRun: (done, total) => {
      if (!values.json && process.stderr.isTTY) process.stderr.write(`\r${done}/${total} runs`);
    },
  });
  if (!values.json && process.stderr.isTTY) process.stderr.write(`\r${' '.repeat(20)}\r`);
  if (values.json) {
    console.log(formatConformanceJson(result));
    return 0;
  }
  const reference = fixtures[0]?.reference;
  console.log(
    formatConformance(
      result,
      reference
        ? `${reference.package} ${reference.version} (the seed's package)`
        : 'the reference',
    ),
  );
  const again =
    retries > 0
      ? `; ${retries} ${retries === 1 ? 'run' : 'runs'} made again (a port taken, or timing that strayed on a busy machine)`
      : '';
  console.log(`\n${((performance.now() - started) / 1000).toFixed(1)} s${again}`);
  return 0;
}

if (isMain(import.meta.url)) await runMain(() => main(process.argv.slice(2)));
