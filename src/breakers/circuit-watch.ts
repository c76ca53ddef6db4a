import type { Breaker, CircuitState } from './breaker.ts';

export interface Transition {
  /** Milliseconds on the watch's clock. */
  at: number;
  to: CircuitState;
}

/**
 * Follows one breaker's transitions on an injected clock: when it last opened, how often, and
 * for how long it was not closed. It reads state changes from the library's own events, so it
 * records what the library did, not what it should have done.
 */
export class CircuitWatch {
  readonly transitions: Transition[] = [];
  #lastOpenedAt: number | undefined;
  #stopped = false;

  constructor(
    breaker: Breaker,
    private readonly resetTimeoutMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    breaker.onStateChange((to) => {
      if (this.#stopped) return;
      const at = this.now();
      if (to === 'open') this.#lastOpenedAt = at;
      this.transitions.push({ at, to });
    });
  }

  /**
   * The seed's "Time till open": the reset timeout minus the time since the circuit last opened;
   * the full reset timeout before it ever opened. Negative once the circuit has been closed for a while.
   */
  timeTillRetryMs(at: number = this.now()): number {
    return this.#lastOpenedAt === undefined
      ? this.resetTimeoutMs
      : this.resetTimeoutMs - (at - this.#lastOpenedAt);
  }

  /**
   * Stops recording: a run ends with its last call, and a library timer that fires while the run is
   * being torn down is not part of it.
   */
  stop(): void {
    this.#stopped = true;
  }

  /** How many times the circuit opened (a re-open after a failed trial counts). */
  get timesOpened(): number {
    return this.transitions.filter((transition) => transition.to === 'open').length;
  }

  /** Time spent open or half-open between `from` and `until`. */
  msNotClosed(from: number, until: number = this.now()): number {
    let total = 0;
    let notClosedSince: number | undefined;
    for (const { at, to } of this.transitions) {
      if (to === 'closed') {
        if (notClosedSince !== undefined) total += at - notClosedSince;
        notClosedSince = undefined;
      } else {
        notClosedSince ??= Math.max(at, from);
      }
    }
    if (notClosedSince !== undefined) total += until - notClosedSince;
    return total;
  }
}
