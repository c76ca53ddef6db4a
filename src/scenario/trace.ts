import type { CircuitState } from '../breakers/breaker.ts';
import type { CallOutcome } from '../breakers/call-through.ts';
import type { Scenario, ServerSetting } from './scenario.ts';

/**
 * What one call through one library's breaker came to (see CallOutcome), or `interrupted`: the
 * run was stopped (Ctrl-C) while the call was in flight and its request was aborted. (The breaker
 * may have counted that abort as a failure: `state` is what it says after.)
 */
export type Outcome = CallOutcome | 'interrupted';

/** One call through one library. Times are scenario seconds (real seconds x speed). */
export interface CallRecord {
  /** 1-based, shared by every library: call N of each library happened at the same moment. */
  call: number;
  /** 1-based caller, present when the scenario has several concurrent callers per call. */
  caller?: number;
  /** When the call started, since the scenario started. */
  at: number;
  server: ServerSetting;
  outcome: Outcome;
  /** The library's state right after the call. */
  state: CircuitState;
  /** The seed's "Time till open" right after the call. */
  timeTillRetry: number;
  /** How long the call took. */
  latency: number;
  /** The call went through while the circuit was half-open: it tested the service. */
  trial: boolean;
  /** Why it failed or was rejected, one line. */
  error?: string;
}

export interface RunSummary {
  /** Requests the mock server received from this library. */
  reachedServer: number;
  /** Calls the library refused without running them. */
  rejected: number;
  /** Calls let through while half-open. */
  trials: number;
  /** Transitions to open, re-opens included. */
  opened: number;
  /** Scenario seconds spent open or half-open. */
  secondsOpen: number;
}

export interface StateSpan {
  state: CircuitState;
  from: number;
  to: number;
}

export interface LibraryRun {
  library: string;
  version: string;
  calls: CallRecord[];
  summary: RunSummary;
  /** The library's states over time, from its own transition events. */
  states: StateSpan[];
}

/** What the server was doing from `from` to `to` (scenario seconds). */
export interface ServerSpan {
  server: ServerSetting;
  from: number;
  to: number;
}

export interface Trace {
  scenario: Scenario;
  /** The server's phases as they really happened, on the same clock as the calls. */
  server: ServerSpan[];
  runs: LibraryRun[];
  /** Scenario seconds from start to end. */
  duration: number;
  /** True when the run was stopped (Ctrl-C) before the schedule ended. */
  interrupted: boolean;
}
