// The lab's adapter; examples/opossum.ts shows opossum's own API as a user would write it.
import CircuitBreaker from 'opossum';
import { circuitOpen, type Breaker, type BreakerSettings, type CircuitState } from './breaker.ts';
import { installedLibrary } from './package-version.ts';
import { StateListeners } from './state-listeners.ts';

/**
 * opossum counts a failure *percentage* over a rolling time window, not consecutive failures.
 * The nearest it gets to "open after N consecutive failures":
 * - volumeThreshold N: never open before N calls are in the window;
 * - errorThresholdPercentage 99: open only when every call in the window failed.
 * What differs in general: the window keeps calls for `rollingCountTimeout` and is not cleared
 * when the circuit closes, and rejected calls count as "fires" in the denominator, so after a
 * recovery old successes and rejections dilute new failures (see docs/behaviour-matrix.md).
 */
export function opossumOptions(settings: BreakerSettings): CircuitBreaker.Options {
  const isFailure = settings.isFailure;
  return {
    volumeThreshold: settings.failures,
    errorThresholdPercentage: 99,
    resetTimeout: settings.resetTimeoutMs,
    rollingCountTimeout: settings.rollingWindowMs ?? 10_000,
    // The request timeout belongs to the client (fetch's AbortSignal), the same for every library.
    timeout: false,
    // opossum's filter is inverted: true means "do not count this error".
    ...(isFailure ? { errorFilter: (error: Error) => !isFailure(error) } : {}),
  };
}

/** opossum's refusal (an error with code EOPENBREAKER) as the contract's error. */
function toOpenError(error: unknown): never {
  if ((error as { code?: unknown }).code === 'EOPENBREAKER') {
    throw circuitOpen('opossum', error);
  }
  throw error;
}

function createOpossum(settings: BreakerSettings): Breaker {
  // One breaker wraps any action: the action is the argument of fire().
  const breaker = new CircuitBreaker(
    (action: () => Promise<unknown>) => action(),
    opossumOptions(settings),
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
export function opossumRule(settings: BreakerSettings): string {
  const options = opossumOptions(settings);
  const window = (options.rollingCountTimeout ?? 10_000) / 1000;
  const parts = [
    `opens on a failure rate: more than ${options.errorThresholdPercentage ?? 50}% of the calls in its last ${window} s failed`,
    ...(options.volumeThreshold
      ? [`once ${options.volumeThreshold} calls are in that window`]
      : []),
  ];
  return `${parts.join(', ')} (rejected calls count as calls)`;
}

export const opossum = installedLibrary('opossum', createOpossum, opossumRule);
