// The lab's adapter; examples/mollitia.ts shows mollitia's own API as a user would write it.
import {
  BreakerError,
  BreakerMaxAllowedRequestError,
  BreakerState,
  Circuit,
  SlidingCountBreaker,
  type SlidingWindowBreakerOptions,
} from 'mollitia';
import { circuitOpen, type Breaker, type BreakerSettings, type CircuitState } from './breaker.ts';
import { halfOpenOf } from './half-open.ts';
import { installedLibrary } from './package-version.ts';
import { StateListeners } from './state-listeners.ts';

/**
 * mollitia's SlidingCountBreaker opens when the failure rate over the last `slidingWindowSize`
 * calls reaches `failureRateThreshold`. A window of N calls that must all fail is "N consecutive
 * failures"; mollitia also empties the window on every transition. What differs in general:
 * a threshold of 100 disables the check (mollitia compares `threshold < 100 && rate >= threshold`),
 * so 99 is the "all failed" setting, and the default of 2 half-open calls is lowered to 1.
 * Half-open, mollitia lets `permittedNumberOfCallsInHalfOpenState` trials through (set from
 * `halfOpen.calls`), rejects the calls beyond them, and once all are back judges them by the same
 * `failureRateThreshold`: it has no share of its own, so with 99 it re-opens only when 99% of the
 * trials failed (every one, below 100 trials), whatever `halfOpen.failureShare` asks (departure.ts
 * says so where that differs).
 */
export function mollitiaBreakerOptions(settings: BreakerSettings): SlidingWindowBreakerOptions {
  const isFailure = settings.isFailure;
  return {
    slidingWindowSize: settings.failures,
    minimumNumberOfCalls: settings.failures,
    failureRateThreshold: 99,
    openStateDelay: settings.resetTimeoutMs,
    permittedNumberOfCallsInHalfOpenState: halfOpenOf(settings).calls,
    // mollitia's callback answers "should this error be reported as a failure?".
    ...(isFailure ? { onError: (error: unknown) => isFailure(error) } : {}),
  };
}

const STATES: Record<BreakerState, CircuitState> = {
  [BreakerState.CLOSED]: 'closed',
  [BreakerState.OPENED]: 'open',
  [BreakerState.HALF_OPENED]: 'half-open',
};

/** mollitia's refusals (open, or half-open slots taken) as the contract's error. */
function toOpenError(error: unknown): never {
  if (error instanceof BreakerError || error instanceof BreakerMaxAllowedRequestError) {
    throw circuitOpen('mollitia', error);
  }
  throw error;
}

function createMollitia(settings: BreakerSettings): Breaker {
  const breaker = new SlidingCountBreaker(mollitiaBreakerOptions(settings));
  const circuit = new Circuit({
    // One circuit runs any action: the action is the argument of execute().
    func: (action: () => Promise<unknown>) => action(),
    options: { modules: [breaker] },
  });
  const listeners = new StateListeners();
  breaker.on('state-changed', (state: BreakerState) => listeners.emit(STATES[state]));
  return {
    execute<T>(action: () => Promise<T>): Promise<T> {
      // Every call goes through the translation: mollitia reads its state only after an await
      // (its state store may be remote), so a call that starts closed can still be refused.
      // A plain .catch costs one promise less than an async wrapper (bench/overhead.ts).
      return circuit.execute<T>(action).catch(toOpenError);
    },
    get state(): CircuitState {
      return STATES[breaker.state];
    },
    onStateChange: (listener) => listeners.add(listener),
    // The open-state timer is not unref'd: without this the process waits for it.
    dispose: () => circuit.dispose(),
  };
}

export const mollitia = installedLibrary('mollitia', createMollitia);
