import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BreakerLibrary } from '../breakers/breaker.ts';
import { runScenario } from '../scenario/run-scenario.ts';
import { loadScenarioFile, type ScenarioFile } from '../scenario/scenario-file.ts';
import { ScenarioError } from '../scenario/scenario.ts';
import type { Trace } from '../scenario/trace.ts';
import { makeCells, type Cell } from './cells.ts';

export interface MatrixRow {
  file: ScenarioFile;
  trace: Trace;
  cells: Map<string, Cell>;
}

export interface MatrixOptions {
  /** Scenario files to run, in order. */
  files: readonly ScenarioFile[];
  libraries: readonly BreakerLibrary[];
  speed: number;
  /** Called before and after each scenario, for a progress line. */
  onProgress?: (event: {
    index: number;
    total: number;
    id: string;
    done?: { seconds: number };
  }) => void;
}

/** Every `*.json` in a folder, sorted by name, loaded and checked. */
export function loadScenarioFolder(folder: string): ScenarioFile[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ScenarioError(
      `${folder}: ${code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : String(code)}`,
    );
  }
  return names
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => loadScenarioFile(join(folder, name)));
}

/** Runs every scenario for every library (all libraries at once, one scenario after another). */
export async function runMatrix(options: MatrixOptions): Promise<MatrixRow[]> {
  const rows: MatrixRow[] = [];
  for (const [index, file] of options.files.entries()) {
    const total = options.files.length;
    options.onProgress?.({ index, total, id: file.id });
    const started = performance.now();
    const trace = await runScenario({
      scenario: { ...file.scenario, speed: options.speed },
      libraries: options.libraries,
      host: '127.0.0.1',
      port: 0,
    });
    rows.push({ file, trace, cells: makeCells(file.id, trace) });
    options.onProgress?.({
      index,
      total,
      id: file.id,
      done: { seconds: (performance.now() - started) / 1000 },
    });
  }
  return rows;
}
