import type { CircuitState } from '../breakers/breaker.ts';
import type { SharedCircuitEvent } from 'shared-circuit';

/** Where a worker keeps its circuit: in Redis, shared by all workers, or in its own memory. */
export type FleetMode = 'shared' | 'local';
export const FLEET_MODES: readonly FleetMode[] = ['shared', 'local'];

/** What the parent tells a worker, in the FLEET_WORKER environment variable as JSON. */
export interface WorkerConfig {
  /** 1-based, shown in reports and sent to the server as the client name. */
  index: number;
  mode: FleetMode;
  serverUrl: string;
  redisUrl: string;
  namespace: string;
  circuit: string;
  failures: number;
  resetTimeoutMs: number;
  intervalMs: number;
  /** Delay of this worker's first call, so the workers do not all call in the same millisecond. */
  offsetMs: number;
  requestTimeoutMs: number;
  /** Send every event of the shared circuit to the parent (for its metrics). */
  events: boolean;
}

/** One call a worker made. `at` is its start, in epoch milliseconds (performance.timeOrigin based). */
export interface WorkerCall {
  at: number;
  outcome: 'success' | 'failure' | 'rejected';
  /** The call ran although the circuit was not closed when it started: the breaker's trial call. */
  trial: boolean;
  /** The caller got an error its action did not throw (from Redis or the breaker): never expected. */
  foreign?: true;
}

export interface TransitionRecord {
  at: number;
  to: CircuitState;
}

export type ParentMessage = { type: 'start'; at: number } | { type: 'stop' };

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'state'; at: number; to: CircuitState }
  | { type: 'event'; event: SharedCircuitEvent }
  | {
      type: 'done';
      calls: WorkerCall[];
      transitions: TransitionRecord[];
      /** A shared-mode worker could not reach Redis at some point and used its local breaker. */
      fellBack: boolean;
    };

/** Epoch milliseconds with sub-millisecond precision, comparable across processes on one machine. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
