/** The contract between the runner (`bench/run.ts`) and each benchmark file. */
import type { Table } from './table.ts';

export interface BenchContext {
  /** Tiny samples so the whole suite runs in seconds: proves the code runs, figures mean nothing. */
  quick: boolean;
  /** A progress line for the person waiting (stderr), so stdout keeps only the tables. */
  progress(line: string): void;
}

export interface BenchOutcome {
  /** Written as `<out>/<name>.json` after the environment header. */
  result: object;
  /** Printed, and collected as Markdown for docs/benchmarks.md. */
  tables: Table[];
}

export interface Benchmark {
  /** Also the name of its result file and of its `--only` choice. */
  readonly name: string;
  /**
   * Why it cannot run on this machine (e.g. no Redis), one line saying how to fix that; undefined
   * when it can. Default: it always can.
   */
  unavailable?(): Promise<string | undefined>;
  run(context: BenchContext): Promise<BenchOutcome>;
}
