// The lab's adapter; examples/opossum.ts shows opossum's own API as a user would write it.
import CircuitBreaker from 'opossum';
import {
  circuitOpen,
  type Breaker,
  type BreakerLibrary,
  type BreakerSettings,
  type CircuitState,
} from './breaker.ts';
import { installedLibrary } from './package-version.ts';
import { StateListeners } from './state-listeners.ts';

/**
 * opossum counts a failure *percentage* over a rolling time window, not consecutive failures, so
 * no setting is "open after N consecutive failures". The setting here is the one that agreed most
 * with the seed's own package (circuitbreaker 1.4), measured by scripts/opossum-settings.ts: 32
 * reference fixtures (477 calls) and the matrix's 9 scenarios, each matched call by call or not;
 * "agrees most" is the highest sum of fixtures and scenarios matched. Mean of 3 runs (opossum 10.0.0,
 * Node 24):
 *
 *   setting (volumeThreshold N in all)    fixtures   calls before the 1st difference   matrix
 *   50%, window 2 reset timeouts (kept)   16.0/32    364/477                           7.3/9
 *   50%, window 3 reset timeouts          16.0/32    366/477                           7.0/9
 *   50%, window 1 reset timeout           17.0/32    329/477                           5.0/9
 *   50%, opossum's 10 s window (common)   14.0/32    359/477                           7.0/9
 *   99%, opossum's 10 s window (before)   12.0/32    334/477                           6.0/9
 *
 * Two and three reset timeouts are within the runs' spread of each other; two had the highest sum
 * in each of six rounds of measurement (docs/conformance.md has the whole table).
 *
 * - volumeThreshold N: never open before N calls are in the window;
 * - errorThresholdPercentage 50, opossum's default: open when more than half the window failed;
 * - rollingCountTimeout of two reset timeouts: long enough to hold N slow failures (a window of one
 *   reset timeout never opened on a hanging or slow server), short enough to forget most of the
 *   calls before the last outage, which with the 10 s window kept a second outage from opening
 *   the circuit (99%) or opened it after fewer than N failures (50%).
 * What still differs: the window is not cleared when the circuit closes and rejected calls count
 * as "fires", so successes and failures still in the window shift when it opens; it opens on a
 * rate, so N failures after many successes may not open it (see docs/behaviour-matrix.md).
 */
export function opossumOptions(
  settings: BreakerSettings,
  tuning: OpossumTuning = OPOSSUM_TUNING,
): CircuitBreaker.Options {
  const isFailure = settings.isFailure;
  // A failure rate asked for (--failure-rate) is opossum's own rule, given as it is: no tuning.
  const rate = settings.failureRate;
  return {
    volumeThreshold: rate?.minimumThroughput ?? settings.failures,
    errorThresholdPercentage: rate ? rate.ratio * 100 : tuning.errorThresholdPercentage,
    resetTimeout: settings.resetTimeoutMs,
    rollingCountTimeout: rate
      ? rate.windowMs
      : tuning.windowInResetTimeouts === undefined
        ? (settings.rollingWindowMs ?? 10_000)
        : settings.resetTimeoutMs * tuning.windowInResetTimeouts,
    // The request timeout belongs to the client (fetch's AbortSignal), the same for every library.
    timeout: false,
    // opossum's filter is inverted: true means "do not count this error".
    ...(isFailure ? { errorFilter: (error: Error) => !isFailure(error) } : {}),
  };
}

/** The two opossum options measured against the reference (scripts/opossum-settings.ts). */
export interface OpossumTuning {
  /** Open when the failure percentage in the window is over this. */
  errorThresholdPercentage: number;
  /** The rolling window in reset timeouts; default `rollingWindowMs` (opossum's own 10 s). */
  windowInResetTimeouts?: number;
}

/** The adapter's setting: the best measured agreement with the reference (above). */
export const OPOSSUM_TUNING: OpossumTuning = {
  errorThresholdPercentage: 50,
  windowInResetTimeouts: 2,
};

/** opossum's refusal (an error with code EOPENBREAKER) as the contract's error. */
function toOpenError(error: unknown): never {
  if ((error as { code?: unknown }).code === 'EOPENBREAKER') {
    throw circuitOpen('opossum', error);
  }
  throw error;
}

function createOpossum(settings: BreakerSettings, tuning: OpossumTuning): Breaker {
  // One breaker wraps any action: the action is the argument of fire().
  const breaker = new CircuitBreaker(
    (action: () => Promise<unknown>) => action(),
    opossumOptions(settings, tuning),
  );
  const listeners = new StateListeners();
  breaker.on('open', () => listeners.emit('open'));
  breaker.on('halfOpen', () => listeners.emit('half-open'));
  breaker.on('close', () => listeners.emit('closed'));
  return {
    execute<T>(action: () => Promise<T>): Promise<T> {
      // A closed opossum circuit runs the action and settles as it did (fire() checks `closed`
      // synchronously), so only a call that starts open or half-open needs its rejection
      // translated; skipping the extra promise layer otherwise keeps the adapter within 10% of
      // opossum's own cost (bench/overhead.ts).
      if (breaker.closed) return breaker.fire(action) as Promise<T>;
      return (breaker.fire(action) as Promise<T>).catch(toOpenError);
    },
    get state(): CircuitState {
      if (breaker.opened) return 'open';
      return breaker.halfOpen ? 'half-open' : 'closed';
    },
    onStateChange: (listener) => listeners.add(listener),
    dispose: () => breaker.shutdown(),
  };
}

/**
 * opossum's rule, in words, read from the options the adapter gives it (so it follows them):
 * opossum opens when the failure rate over its window is above the threshold (circuit.js `fail`).
 */
export function opossumRule(
  settings: BreakerSettings,
  tuning: OpossumTuning = OPOSSUM_TUNING,
): string {
  const options = opossumOptions(settings, tuning);
  const window = (options.rollingCountTimeout ?? 10_000) / 1000;
  const parts = [
    `opens on a failure rate: more than ${options.errorThresholdPercentage ?? 50}% of the calls in its last ${Number(window.toFixed(3))} s failed`,
    ...(options.volumeThreshold
      ? [`once ${options.volumeThreshold} calls are in that window`]
      : []),
  ];
  return `${parts.join(', ')} (rejected calls count as calls)`;
}

/** opossum with other options than the adapter's, under another name: for measuring settings. */
export function opossumTuned(name: string, tuning: OpossumTuning): BreakerLibrary {
  const library = installedLibrary(
    'opossum',
    (settings) => createOpossum(settings, tuning),
    (settings) => opossumRule(settings, tuning),
  );
  return { ...library, name };
}

export const opossum = opossumTuned('opossum', OPOSSUM_TUNING);
