import type { RunEvent } from '../scenario/run-scenario.ts';
import type { ReferenceFixture } from './reference-fixture.ts';

/**
 * Real milliseconds a call exactly at the end of the reset timeout is made after it. The
 * reference's exact clock puts some calls there (the seed's call 9: opened at 2 s, 6 s open, a
 * call every second), and circuitbreaker counts them as past it. A real run cannot be exact: the
 * library's timer (opossum, mollitia) may still be waiting to run in the same turn of the event
 * loop when the call is made, and `Date.now()` (cockatiel) counts whole milliseconds. This much
 * later, such calls find the reset timeout over, as in the reference.
 */
export const RESET_LAG_MS = 50;

/**
 * When the lab's engine makes each call of a fixture's run. While the reference's circuit is
 * open, a call is placed at the reference's distance from the real end of the call that opened
 * it, where the library started its own reset timeout, so a late timer delays that one call but
 * never adds up over the calls of a reset timeout; otherwise a call follows the previous one's
 * end by the delay, as in the lab.
 */
export class ReferencePacing {
  readonly #fixture: ReferenceFixture;
  readonly #msPerSecond: number;
  readonly #now: () => number;
  /** Real time each call ended, by call number. */
  readonly #ends = new Map<number, number>();
  #lastCall = 0;

  constructor(
    fixture: ReferenceFixture,
    speed: number,
    now: () => number = () => performance.now(),
  ) {
    this.#fixture = fixture;
    this.#msPerSecond = 1000 / speed;
    this.#now = now;
  }

  /** For the engine's `onEvent`: notes when each call ended. */
  readonly onEvent = (event: RunEvent): void => {
    if (event.type !== 'call') return;
    this.#ends.set(event.call, this.#now());
    this.#lastCall = event.call;
  };

  /**
   * For the engine's `sleep`: waits until the next call's place. Node times a timer from the event
   * loop's cached clock, which on a loaded machine lags the real one, so a timer can fire early:
   * it waits again for what is left.
   */
  readonly sleep = async (delayMs: number): Promise<void> => {
    const until = this.#now() + this.#waitMs(delayMs);
    for (let left = until - this.#now(); left > 0; left = until - this.#now()) {
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(left)));
    }
  };

  #waitMs(delayMs: number): number {
    const calls = this.#fixture.calls;
    const previous = calls[this.#lastCall - 1];
    const next = calls[this.#lastCall];
    if (!previous || !next || previous.state !== 'open') return delayMs;
    const opener = [...calls.slice(0, this.#lastCall)]
      .reverse()
      .find((call) => call.state === 'open' && call.outcome !== 'rejected');
    const openedEnd = opener && this.#ends.get(opener.call);
    if (!opener || openedEnd === undefined) return delayMs;
    const referenceGap = next.at - (opener.at + opener.latency);
    const atReset = Math.abs(referenceGap - this.#fixture.parameters.resetTimeout) < 1e-6;
    return (
      openedEnd + referenceGap * this.#msPerSecond + (atReset ? RESET_LAG_MS : 0) - this.#now()
    );
  }
}
