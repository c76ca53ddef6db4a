import type { CircuitState } from '../breakers/breaker.ts';
import type { DashboardSettings } from './settings.ts';

/** How one call ended, as the caller saw it. */
export type CallOutcome = 'success' | 'failure' | 'rejected';

/** What the server is doing: `off` (port closed), `on`, or another mode as `slow=800`, `error=503`... */
export type ServerLabel = string;

export interface LaneInfo {
  library: string;
  version: string;
  state: CircuitState;
}

/**
 * What the page hears on its stream. `at` is milliseconds since the dashboard started, on its
 * monotonic clock, so the page can place everything on one timeline.
 */
export type DashboardEvent =
  | {
      /** First on every stream: where things stand; the recent events follow. */
      type: 'hello';
      at: number;
      serverUrl: string;
      server: ServerLabel;
      settings: DashboardSettings;
      lanes: LaneInfo[];
    }
  | {
      type: 'call';
      at: number;
      library: string;
      outcome: CallOutcome;
      /** The call ran while the circuit was not closed: the library's trial call. */
      trial: boolean;
      latencyMs: number;
      /** The circuit's state once the call settled. */
      state: CircuitState;
      /** Why it failed or was rejected. */
      error?: string;
    }
  | {
      type: 'state';
      at: number;
      library: string;
      to: CircuitState;
      /** On `open` from closed: the failed calls in a row (since the last success) that led to it. */
      failuresInARow?: number;
    }
  | { type: 'server'; at: number; server: ServerLabel }
  /** New settings: every caller starts again on a fresh breaker (closed). */
  | { type: 'settings'; at: number; settings: DashboardSettings }
  /** A line a library logged, such as the shared circuit falling back to a local breaker. */
  | { type: 'note'; at: number; library: string; text: string };
