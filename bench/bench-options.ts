/** The command line of `npm run bench`. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandLine } from '../src/cli/command-line.ts';
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

function benchCommand(names: readonly string[]) {
  return commandLine({
    usage: 'npm run bench -- [options]',
    about: `Runs the benchmarks and prints their tables. Without --quick or --out it rewrites the results
tracked in git: ${DEFAULT_OUT_DIR}/*.json and ${DEFAULT_OUT_DIR}/tables.md.`,
    options: {
      quick: {
        help: 'tiny samples, a few seconds in all: checks the code runs, figures mean nothing',
      },
      out: {
        value: '<dir>',
        help: `directory for the result files (default ${DEFAULT_OUT_DIR}; with --quick ${QUICK_OUT_DIR})`,
      },
      only: { value: '<names>', help: `comma-separated subset of: ${names.join(', ')}` },
      help: { help: 'show this help' },
    },
  });
}

export function benchUsage(names: readonly string[]): string {
  return benchCommand(names).help;
}

/** Parses argv; bad input throws a one-line UsageError. */
export function parseBenchOptions(argv: readonly string[], names: readonly string[]): BenchOptions {
  const values = benchCommand(names).parse(argv);
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
