/**
 * What every result file records beside its figures: the machine and runtime they came from, so a
 * number is never read without knowing where it was measured.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { LIBRARIES } from '../src/libraries/registry.ts';

export interface Environment {
  node: string;
  v8: string;
  platform: string;
  arch: string;
  cpuModel: string;
  cpus: number;
  totalMemoryMb: number;
  /** 1-minute load average when the benchmark started: a hint of how busy the machine was. */
  loadAverage1m: number;
  /** ISO 8601, UTC. */
  date: string;
  /** The installed version of each breaker library. */
  libraries: Record<string, string>;
  /** `--quick` runs take tiny samples: their figures only show that the code runs. */
  quick: boolean;
}

export function describeEnvironment(
  quick: boolean,
  now: () => Date = () => new Date(),
): Environment {
  const processors = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cpus: processors.length,
    totalMemoryMb: Math.round(totalmem() / 2 ** 20),
    loadAverage1m: Number((loadavg()[0] ?? 0).toFixed(2)),
    date: now().toISOString(),
    libraries: Object.fromEntries(
      Object.values(LIBRARIES).map((library) => [library.name, library.version]),
    ),
    quick,
  };
}

/** One line for the top of the printed report. */
export function environmentHeader(environment: Environment): string {
  const libraries = Object.entries(environment.libraries)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  return (
    `Node ${environment.node} on ${environment.cpuModel} (${environment.cpus} cores, ` +
    `load ${environment.loadAverage1m}), ${environment.date}; ${libraries}` +
    (environment.quick ? ' — QUICK RUN, figures not meaningful' : '')
  );
}

/** Writes `<dir>/<name>.json`: the environment first, then the benchmark's own fields. */
export async function writeResult(
  dir: string,
  name: string,
  environment: Environment,
  result: object,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.json`);
  await writeFile(path, `${JSON.stringify({ environment, ...result }, null, 2)}\n`);
  return path;
}
