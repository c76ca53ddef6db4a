import { setTimeout as delay } from 'node:timers/promises';
import {
  isCircuitOpenError,
  type Breaker,
  type BreakerLibrary,
  type CircuitState,
} from '../breakers/breaker.ts';
import { fetchGreeting } from '../http/fetch-greeting.ts';
import type { CallOutcome, DashboardEvent } from './dashboard-event.ts';
import type { DashboardSettings } from './settings.ts';

export interface CallerOptions {
  library: BreakerLibrary;
  serverUrl: string;
  /** Read before every call, so new settings apply from the next one. */
  settings: () => DashboardSettings;
  emit: (event: DashboardEvent) => void;
  /** Milliseconds since the dashboard started. */
  now: () => number;
  /** Aborting ends the loop after the call in flight (which is not reported). */
  signal: AbortSignal;
}

/**
 * One library calling the mock server in a loop through its breaker, reporting every call and
 * every transition. A transition the library reports during a call is held until the call is
 * reported, so the page sees the failure that opened a circuit before the circuit open.
 */
export class Caller {
  readonly #options: CallerOptions;
  #breaker: Breaker | undefined;
  /** Bumped by `restart()`: the loop builds a new breaker when it differs from the one it built for. */
  #generation = 0;
  #builtFor = -1;
  #inCall = false;
  #held: DashboardEvent[] = [];
  #failuresInARow = 0;
  /** The last state reported, to tell an open from closed apart from a re-open after a failed trial. */
  #reported: CircuitState = 'closed';

  constructor(options: CallerOptions) {
    this.#options = options;
  }

  get library(): string {
    return this.#options.library.name;
  }

  get state(): CircuitState {
    return this.#breaker?.state ?? 'closed';
  }

  /** New settings: the next call runs on a fresh breaker built with them. */
  restart(): void {
    this.#generation += 1;
  }

  /** The loop; resolves once aborted, with the breaker disposed. */
  async run(): Promise<void> {
    const { signal } = this.#options;
    try {
      while (!signal.aborted) {
        const settings = this.#options.settings();
        const breaker = await this.#current(settings);
        await this.#callOnce(breaker, settings);
        if (signal.aborted) break;
        await sleep(settings.delayMs, signal);
      }
    } finally {
      await this.#breaker?.dispose();
      this.#breaker = undefined;
    }
  }

  async #current(settings: DashboardSettings): Promise<Breaker> {
    if (this.#breaker && this.#builtFor === this.#generation) return this.#breaker;
    await this.#breaker?.dispose();
    this.#builtFor = this.#generation;
    this.#failuresInARow = 0;
    this.#reported = 'closed';
    const breaker = this.#options.library.create({
      failures: settings.failures,
      resetTimeoutMs: settings.resetTimeoutMs,
      rollingWindowMs: settings.rollingWindowMs,
    });
    this.#breaker = breaker;
    breaker.onStateChange((to) => {
      if (this.#breaker !== breaker || this.#options.signal.aborted) return;
      const event: DashboardEvent = {
        type: 'state',
        at: this.#options.now(),
        library: this.library,
        to,
      };
      if (this.#inCall) this.#held.push(event);
      else this.#options.emit(this.#withStreak(event));
    });
    return breaker;
  }

  async #callOnce(breaker: Breaker, settings: DashboardSettings): Promise<void> {
    const { now, serverUrl } = this.#options;
    // A trial is a call whose action runs while the circuit is not closed (as in the lab's runner).
    let trial = false;
    let outcome: CallOutcome = 'success';
    let error: string | undefined;
    const at = now();
    this.#inCall = true;
    try {
      await breaker.execute(() => {
        trial = breaker.state !== 'closed';
        return fetchGreeting(serverUrl, {
          timeoutMs: settings.requestTimeoutMs,
          client: this.library,
        });
      });
    } catch (caught) {
      outcome = isCircuitOpenError(caught) ? 'rejected' : 'failure';
      error = caught instanceof Error ? caught.message : String(caught);
    } finally {
      this.#inCall = false;
    }
    const held = this.#held;
    this.#held = [];
    // Stopping closes the server under the call in flight: that failure is the shutdown's, not the library's.
    if (this.#options.signal.aborted || this.#breaker !== breaker) return;
    if (outcome === 'success') this.#failuresInARow = 0;
    if (outcome === 'failure') this.#failuresInARow += 1;
    this.#options.emit({
      type: 'call',
      at,
      library: this.library,
      outcome,
      trial,
      latencyMs: now() - at,
      state: breaker.state,
      ...(error !== undefined ? { error } : {}),
    });
    for (const event of held) this.#options.emit(this.#withStreak(event));
  }

  /** An open from closed carries the failures that led to it; the count starts again at every open. */
  #withStreak(event: DashboardEvent): DashboardEvent {
    if (event.type !== 'state') return event;
    const from = this.#reported;
    this.#reported = event.to;
    if (event.to !== 'open') return event;
    const failuresInARow = this.#failuresInARow;
    this.#failuresInARow = 0;
    return from === 'closed' ? { ...event, failuresInARow } : event;
  }
}

async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
