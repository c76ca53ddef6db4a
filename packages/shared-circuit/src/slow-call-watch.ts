/** One call the watch follows: when it started, and whether it has ended or was counted slow. */
export interface WatchedCall {
  readonly startedAt: number;
  ended: boolean;
  slow: boolean;
  readonly onSlow: () => void;
}

/**
 * Counts a call as slow the moment it has run for `thresholdMs`, not when it ends: a dependency
 * that hangs is seen within the threshold, not after the caller's timeout (gobreaker #91). Calls
 * start in time order, so a queue in start order and one timer, armed for the oldest call still
 * running, cover any number of calls; a call that ends just marks itself.
 */
export class SlowCallWatch {
  readonly #thresholdMs: number;
  readonly #now: () => number;
  #queue: WatchedCall[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(thresholdMs: number, now: () => number) {
    this.#thresholdMs = thresholdMs;
    this.#now = now;
  }

  start(onSlow: () => void): WatchedCall {
    const call: WatchedCall = { startedAt: this.#now(), ended: false, slow: false, onSlow };
    this.#queue.push(call);
    if (this.#timer === undefined) this.#arm();
    return call;
  }

  /** The call ended; true when it had already been counted slow (its end then changes nothing). */
  end(call: WatchedCall): boolean {
    call.ended = true;
    return call.slow;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue = [];
    this.#head = 0;
  }

  #arm(): void {
    // Calls that ended need no timer of their own: skip them.
    while (this.#head < this.#queue.length && this.#queue[this.#head]!.ended) this.#head += 1;
    if (this.#head >= this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
      this.#timer = undefined;
      return;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head); // keep the array from growing without end
      this.#head = 0;
    }
    const oldest = this.#queue[this.#head]!;
    const wait = Math.max(0, oldest.startedAt + this.#thresholdMs - this.#now());
    this.#timer = setTimeout(() => this.#fire(), wait);
    this.#timer.unref();
  }

  #fire(): void {
    const now = this.#now();
    while (this.#head < this.#queue.length) {
      const call = this.#queue[this.#head]!;
      if (!call.ended && call.startedAt + this.#thresholdMs > now) break;
      this.#head += 1;
      if (!call.ended) {
        call.slow = true;
        call.onSlow();
      }
    }
    this.#arm();
  }
}
