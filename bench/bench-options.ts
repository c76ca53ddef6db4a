/** The command line of `npm run bench`. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandLine } from '../src/cli/parse-command-line.ts';
import { UsageError } from '../src/cli/usage-error.ts';

export interface BenchOptions {
  /** Tiny samples, a few seconds in all (the test suite's smoke run). Default false. */
  quick: boolean;
  /** Where the result files go. Default `bench/results`. */
  outDir: string;
  /** Run only these benchmarks, in the runner's order. Default: all. */
  only: string[] | undefined;
  help: boolean;
}

export const DEFAULT_OUT_DIR = 'bench/results';
/** Quick figures mean nothing: by default they never replace the recorded results. */
export const QUICK_OUT_DIR = join(tmpdir(), 'circuit-bench-quick');

export function benchUsage(names: readonly string[]): string {
  return `Usage: npm run bench -- [options]

Options:
  --quick         tiny samples, a few seconds in all: checks the code runs, figures mean nothing
  --out <dir>     directory for the result files (default ${DEFAULT_OUT_DIR}; with --quick ${QUICK_OUT_DIR})
  --only <names>  comma-separated subset of: ${names.join(', ')}
  --help          show this help`;
}

/** Parses argv; bad input throws a one-line UsageError. */
export function parseBenchOptions(argv: readonly string[], names: readonly string[]): BenchOptions {
  const { values } = parseCommandLine(
    argv,
    {
      quick: { type: 'boolean' },
      out: { type: 'string' },
      only: { type: 'string' },
      help: { type: 'boolean' },
    },
    '--quick, --out <dir>, --only <names>, --help',
  );
  if (values.out !== undefined && values.out.trim() === '') {
    throw new UsageError('--out must be a directory, got ""');
  }
  return {
    quick: values.quick ?? false,
    outDir: values.out ?? (values.quick ? QUICK_OUT_DIR : DEFAULT_OUT_DIR),
    only: values.only === undefined ? undefined : parseOnly(values.only, names),
    help: values.help ?? false,
  };
}

function parseOnly(raw: string, names: readonly string[]): string[] {
  const chosen = raw
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = chosen.find((name) => !names.includes(name));
  if (chosen.length === 0 || unknown !== undefined) {
    throw new UsageError(
      `--only must list benchmarks from ${names.join(', ')}, got "${unknown ?? raw}"`,
    );
  }
  return chosen;
}
