/**
 * Every timing tolerance of the suite lives here. Scenario tests run at SPEED, so a seed run takes
 * about 4 s; a tolerance in scenario seconds is SPEED times larger than the same one in real time.
 * Assertions on a whole run compare with the consecutive-failure model evaluated on the run's own
 * call times (src/scenario/consecutive-model.ts), so a stalled machine cannot fail them.
 */
export const SPEED = 5;

/** Slack for a real-time wait in a server test, in milliseconds. */
export const REAL_TIME_SLACK_MS = 250;

export function within(actual: number, expected: number, tolerance: number): boolean {
  return Math.abs(actual - expected) <= tolerance;
}

/**
 * Right after the circuit opens, "Time till open" is the full reset timeout less the moment
 * between the library's open event and the print: within this many scenario seconds.
 */
export const JUST_OPENED_TOLERANCE = 0.1;

/**
 * Between two calls at least the delay passes (a timer may fire up to 1 ms early in real time),
 * so "Time till open" falls by at least this much from one call to the next (delay 1 s), in
 * scenario seconds at SPEED.
 */
export const MIN_STEP_BETWEEN_CALLS = 1 - (1 / 1000) * SPEED * 2;

/**
 * ... and by at most this much: the delay plus the call and a stall of the machine, up to 400 ms
 * of real time on a loaded 2-core CI machine.
 */
export const MAX_STEP_BETWEEN_CALLS = 1 + (400 / 1000) * SPEED;

/** Fleet tests: how long a condition over Redis and pub/sub may take to become true on a busy CI machine. */
export const FLEET_DEADLINE_MS = 5000;

/** Fleet tests: a reset timeout short enough to keep tests quick, long enough to outlast a Redis round trip under load. */
export const FLEET_RESET_TIMEOUT_MS = 300;

/** Polls `condition` every 10 ms until it holds; fails with `what` after `deadlineMs`. */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  deadlineMs: number = FLEET_DEADLINE_MS,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${deadlineMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Fleet tests: waited past a reset timeout, so every process's clock agrees it has passed. */
export const FLEET_CLOCK_SLACK_MS = 50;

/**
 * Fleet end-to-end test: calls that were already on their way when the circuit opened (or before a
 * worker heard of it) reach the server whatever the breaker does; a stalled CI machine can bunch up
 * this many on top of the failures that open the circuit.
 */
export const FLEET_IN_FLIGHT_SLACK = 2;

/** A call rejected by an open circuit returns within this many real milliseconds. */
export const REJECTION_MAX_MS = 50;

/**
 * Fleet lease test: the trial lease, long next to a reset timeout so that killing its holder and
 * checking that nobody else gets the trial yet fits inside it on a loaded machine.
 */
export const FLEET_TRIAL_LEASE_MS = 1000;

/** A Node timer may fire up to this many ms before its delay, on Date.now's clock. */
export const TIMER_EARLY_MS = 2;

/**
 * Dashboard browser test: opossum opens once the successes have left its rolling window (a tenth
 * of the window per bucket); a stalled machine may fit this many more failed calls in before then.
 */
export const OPOSSUM_WINDOW_SLACK_CALLS = 2;

/**
 * opossum drops a bucket of its rolling window on a timer, a tenth of the window apart: waited this
 * long past the window, every bucket of calls made before the wait has gone on a busy machine too.
 */
export const OPOSSUM_WINDOW_ROLLED_MS = 250;

/** Dashboard browser test: how long the page may take to show a change on a busy CI machine. */
export const PAGE_DEADLINE_MS = 10_000;

/** Fleet: dispose() of a circuit whose Redis is down returns within this many milliseconds. */
export const DISPOSE_MAX_MS = 100;

/**
 * Ctrl-C test: from SIGINT to the lab's exit, through npm, on a loaded machine. The call in flight
 * would hold the lab for its 10 s request timeout if it were waited for rather than aborted.
 */
export const INTERRUPT_DEADLINE_MS = 2000;

/**
 * The slow-call test's bound (issue 22): a hanging dependency, slowCallMs 200, must open the
 * circuit within this. The rest is the timer's and Redis's reply, far below it.
 */
export const SLOW_CALL_OPEN_WITHIN_MS = 1000;

/**
 * The failure-rate test's bound (issue 21): 4 processes at 50 calls a second each, 40% failing,
 * failureRatio 0.3, a throughput of 20 over 2 s: every process open within this. The counts
 * reach Redis at most one flush (250 ms) after the calls.
 */
export const FAILURE_RATE_OPEN_WITHIN_MS = 2500;

/** A Redis round trip and a timer's lateness on a busy machine, on top of a rate flush interval. */
export const RATE_FLUSH_SLACK_MS = 150;

/**
 * How late a trial may come after its open period ends in the backoff test: the callers' pacing,
 * the reply's way back and a loaded machine's event loop (measured: 77 ms late under the suite).
 */
export const BACKOFF_LATE_MS = 150;

/**
 * Matrix scenario tests run at the matrix's own speed (npm run matrix's default), a scenario of
 * 12-24 calls in 2-3 s; the rows compare counts, not times.
 */
export const MATRIX_TEST_SPEED = 10;
