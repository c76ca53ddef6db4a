import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServerSwitch } from '../server/server-switch.ts';
import type { SharedCircuitEvent } from 'shared-circuit';
import { forgetNamespace } from './namespace-keys.ts';
import { allClosedSince, stopWorkers, WorkerProcess } from './worker-process.ts';
import {
  epochNow,
  type WorkerCall,
  type FleetMode,
  type TransitionRecord,
  type WorkerConfig,
} from './worker-protocol.ts';

/** The demo's schedule and breaker settings; fleet-options.ts documents the defaults. */
export interface FleetRunOptions {
  workers: number;
  failures: number;
  resetTimeoutMs: number;
  /** Server up this long before the outage. */
  upMs: number;
  downMs: number;
  intervalMs: number;
  requestTimeoutMs: number;
  redisUrl: string;
  /** The shared circuit's namespace. Default: a fresh one per run. */
  namespace?: string | undefined;
  /** Every event of every worker's shared circuit, as it arrives. Default: workers send none. */
  onCircuitEvent?: (worker: number, event: SharedCircuitEvent) => void;
}

export interface WorkerRun {
  index: number;
  /** Redis went away and the worker ran on its local breaker at some point. */
  fellBack: boolean;
  calls: WorkerCall[];
  transitions: TransitionRecord[];
}

/** What one mode's run recorded, in epoch milliseconds; fleet-figures.ts turns it into figures. */
export interface ModeRun {
  mode: FleetMode;
  downAt: number;
  upAt: number;
  workers: WorkerRun[];
}

/** The demo's one circuit, shared by name in shared mode. */
export const CIRCUIT = 'mock-server';

/**
 * Runs the schedule once: the mock server up, down for `downMs`, up again until every worker's
 * circuit has closed (or a deadline), with `workers` processes calling it through their circuits.
 */
export async function runMode(mode: FleetMode, options: FleetRunOptions): Promise<ModeRun> {
  await using server = await ServerSwitch.create({ host: '127.0.0.1' });
  await server.turnOn();
  const namespace = options.namespace ?? `fleet-demo-${randomUUID().slice(0, 8)}`;
  const workers = Array.from(
    { length: options.workers },
    (_, i) =>
      new WorkerProcess(
        workerConfig(i + 1, options, {
          mode,
          serverUrl: server.url,
          redisUrl: options.redisUrl,
          namespace,
          events: options.onCircuitEvent !== undefined,
        }),
      ),
  );
  workers.forEach((worker, i) => worker.onEvent((event) => options.onCircuitEvent?.(i + 1, event)));
  try {
    await Promise.all(workers.map((worker) => worker.ready));
    // Start together a little ahead, as tsx takes a moment to load in each worker.
    const startAt = epochNow() + 50;
    for (const worker of workers) worker.send({ type: 'start', at: startAt });

    await sleep(startAt - epochNow() + options.upMs);
    // Down from the moment the port starts closing: a call that meets the closing server failed too.
    const downAt = epochNow();
    await server.turnOff();
    await sleep(options.downMs);
    await server.turnOn();
    const upAt = epochNow(); // back once it accepts connections again
    await allClosedSince(workers, upAt, options.resetTimeoutMs * 2 + 3000);
    await sleep(options.intervalMs * 2); // a few calls on the closed circuit, for the record

    const stopped = await stopWorkers(workers);
    return {
      mode,
      downAt,
      upAt,
      workers: stopped,
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.exit(5000)));
    if (mode === 'shared') await forgetNamespace(options.redisUrl, namespace);
  }
}

/** Worker `index`'s configuration: the run's settings, and each worker's first call a little later. */
export function workerConfig(
  index: number,
  options: Pick<
    FleetRunOptions,
    'workers' | 'failures' | 'resetTimeoutMs' | 'intervalMs' | 'requestTimeoutMs'
  >,
  where: Pick<WorkerConfig, 'mode' | 'serverUrl' | 'redisUrl' | 'namespace' | 'events'>,
): WorkerConfig {
  return {
    index,
    ...where,
    circuit: CIRCUIT,
    failures: options.failures,
    resetTimeoutMs: options.resetTimeoutMs,
    intervalMs: options.intervalMs,
    offsetMs: ((index - 1) * options.intervalMs) / options.workers,
    requestTimeoutMs: options.requestTimeoutMs,
  };
}

/** Deletes the demo circuit's keys: each run uses a fresh namespace, and Redis need not keep it. */
