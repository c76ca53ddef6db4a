/**
 * `npm run bench`: runs each benchmark in turn, prints its tables, writes `<out>/<name>.json`
 * as each one ends (a failure later keeps what was measured) and, after a run of all of them,
 * `<out>/tables.md`: the same tables in Markdown, for docs/benchmarks.md.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMain, runMain } from '../src/cli/main-guard.ts';
import { benchUsage, parseBenchOptions } from './bench-options.ts';
import type { Benchmark } from './benchmark.ts';
import { fleetPropagation } from './fleet-propagation.ts';
import { hangingServer } from './hanging-server.ts';
import { keyedCircuits } from './keyed-circuits.ts';
import { manyCircuits } from './many-circuits.ts';
import { overhead } from './overhead.ts';
import { sharedCircuitPaths } from './shared-circuit-paths.ts';
import { serverThroughput } from './server-throughput.ts';
import { describeEnvironment, environmentHeader, writeResult } from './record.ts';
import { formatMarkdownTable, formatTable } from './table.ts';

/** In the order they run: the quick in-process ones first, the long waits last. */
export const BENCHMARKS: readonly Benchmark[] = [
  overhead,
  sharedCircuitPaths,
  hangingServer,
  manyCircuits,
  keyedCircuits,
  serverThroughput,
  fleetPropagation,
];

export async function main(argv: readonly string[]): Promise<number> {
  const names = BENCHMARKS.map((benchmark) => benchmark.name);
  const options = parseBenchOptions(argv, names);
  if (options.help) {
    console.log(benchUsage(names));
    return 0;
  }
  const environment = describeEnvironment(options.quick);
  const started = performance.now();
  console.log(environmentHeader(environment));
  const markdown: string[] = [`<!-- ${environmentHeader(environment)} -->`];
  let skipped = false;
  for (const benchmark of BENCHMARKS) {
    if (options.only && !options.only.includes(benchmark.name)) continue;
    const reason = await benchmark.unavailable?.();
    if (reason !== undefined) {
      console.error(`${benchmark.name} skipped: ${reason}`);
      skipped = true;
      continue;
    }
    const outcome = await benchmark.run({
      quick: options.quick,
      progress: (line) => console.error(line),
    });
    for (const table of outcome.tables) {
      console.log(`\n${formatTable(table)}`);
      markdown.push(`### ${table.title}\n\n${formatMarkdownTable(table)}\n\n${table.note ?? ''}`);
    }
    const path = await writeResult(options.outDir, benchmark.name, environment, outcome.result);
    console.log(`\nwrote ${path}`);
  }
  // A partial run (--only, or a benchmark skipped) would leave the Markdown describing a mix of
  // runs: keep the last full one.
  if (!options.only && !skipped) {
    await writeFile(join(options.outDir, 'tables.md'), `${markdown.join('\n\n')}\n`);
  }
  console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

if (isMain(import.meta.url)) await runMain(() => main(process.argv.slice(2)));
