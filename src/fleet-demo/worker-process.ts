import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { CircuitState } from '../breakers/breaker.ts';
import type { SharedCircuitEvent } from 'shared-circuit';
import {
  epochNow,
  type ParentMessage,
  type TransitionRecord,
  type WorkerConfig,
  type WorkerMessage,
} from './worker-protocol.ts';

const WORKER_FILE = fileURLToPath(new URL('./worker.ts', import.meta.url));

type MessageOf<K extends WorkerMessage['type']> = Extract<WorkerMessage, { type: K }>;

/** Every worker still running, so an interrupted parent can take them down with it. */
const running = new Set<ChildProcess>();

export class WorkerFailedError extends Error {
  override readonly name = 'WorkerFailedError';
}

export function isWorkerFailedError(error: unknown): error is WorkerFailedError {
  return error instanceof WorkerFailedError;
}

/** Kills every worker this process started and has not seen exit. */
export function killAllWorkers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** One worker child process (worker.ts under tsx) and what it has reported so far. */
export class WorkerProcess {
  readonly #child: ChildProcess;
  readonly ready: Promise<MessageOf<'ready'>>;
  readonly done: Promise<MessageOf<'done'>>;
  readonly transitions: TransitionRecord[] = [];

  constructor(readonly config: WorkerConfig) {
    // stdout stays clean for --json: the worker's output, if any, goes to stderr.
    this.#child = spawn(process.execPath, ['--import', 'tsx', WORKER_FILE], {
      stdio: ['ignore', 2, 2, 'ipc'],
      env: { ...process.env, FLEET_WORKER: JSON.stringify(config) },
    });
    const child = this.#child;
    running.add(child);
    const exited = once(child, 'exit').then(([code, signal]) => {
      running.delete(child);
      return new WorkerFailedError(
        `worker ${config.index} exited early (${signal ?? `exit code ${String(code)}`})`,
      );
    });
    const first = <K extends WorkerMessage['type']>(type: K) =>
      new Promise<MessageOf<K>>((resolve, reject) => {
        child.on('message', (message: WorkerMessage) => {
          if (message.type === type) resolve(message as MessageOf<K>);
        });
        void exited.then(reject);
      });
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'state') this.transitions.push({ at: message.at, to: message.to });
    });
    this.ready = first('ready');
    this.done = first('done');
    // Both are awaited later, maybe after the worker failed: not an unhandled rejection meanwhile.
    this.ready.catch(() => {});
    this.done.catch(() => {});
  }

  /** Calls `listener` with each event the worker's shared circuit reports (config.events). */
  onEvent(listener: (event: SharedCircuitEvent) => void): void {
    this.#child.on('message', (message: WorkerMessage) => {
      if (message.type === 'event') listener(message.event);
    });
  }

  get state(): CircuitState | undefined {
    return this.transitions.at(-1)?.to;
  }

  send(message: ParentMessage): void {
    if (this.#child.connected) this.#child.send(message);
  }

  /** Waits for the worker to exit by itself, then kills it. */
  async exit(timeoutMs: number): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), timeoutMs);
    await once(this.#child, 'exit');
    clearTimeout(timer);
    running.delete(this.#child);
  }
}

/** Waits until every worker has closed its circuit after `since`, or `deadlineMs` has passed. */
export async function allClosedSince(
  workers: readonly WorkerProcess[],
  since: number,
  deadlineMs: number,
): Promise<void> {
  const deadline = epochNow() + deadlineMs;
  const closed = (worker: WorkerProcess) =>
    worker.state === 'closed' && worker.transitions.some((t) => t.at >= since && t.to === 'closed');
  while (!workers.every(closed) && epochNow() < deadline) await sleep(20);
}

/** Tells every worker to stop and collects what each recorded, numbered from 1. */
export async function stopWorkers(workers: readonly WorkerProcess[]) {
  for (const worker of workers) worker.send({ type: 'stop' });
  const done = await Promise.all(workers.map((worker) => worker.done));
  return done.map((result, i) => ({ index: i + 1, ...result }));
}
