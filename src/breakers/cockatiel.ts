// The lab's adapter; examples/cockatiel.ts shows cockatiel's own API as a user would write it.
import {
  BrokenCircuitError,
  CircuitState as CockatielState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { circuitOpen, type Breaker, type BreakerSettings, type CircuitState } from './breaker.ts';
import { installedLibrary } from './package-version.ts';

/**
 * cockatiel's ConsecutiveBreaker is exactly "open after N consecutive failures". Its half-open
 * state is lazy: the circuit stays open until the first call after `halfOpenAfter`, and that
 * call is the trial. Other calls arriving during the trial wait for it rather than fail fast.
 * `halfOpen` is cockatiel 4's own `halfOpenSampling`, word for word: `calls` trials, and a
 * `threshold` share of them that may fail (it re-opens on the failure that passes it).
 */
export function cockatielPolicy(settings: BreakerSettings): CircuitBreakerPolicy {
  const isFailure = settings.isFailure;
  const halfOpen = settings.halfOpen;
  return circuitBreaker(isFailure ? handleWhen((error) => isFailure(error)) : handleAll, {
    halfOpenAfter: settings.resetTimeoutMs,
    breaker: new ConsecutiveBreaker(settings.failures),
    ...(halfOpen
      ? { halfOpenSampling: { calls: halfOpen.calls, threshold: halfOpen.failureShare } }
      : {}),
  });
}

/** cockatiel's refusals (open, or a trial in flight that failed, or isolated) as the contract's error. */
function toOpenError(error: unknown): never {
  if (error instanceof BrokenCircuitError) {
    throw circuitOpen('cockatiel', error);
  }
  throw error;
}

const STATES: Record<CockatielState, CircuitState> = {
  [CockatielState.Closed]: 'closed',
  [CockatielState.Open]: 'open',
  [CockatielState.HalfOpen]: 'half-open',
  // Isolated is cockatiel's manual hold-open; the lab never isolates a circuit.
  [CockatielState.Isolated]: 'open',
};

function createCockatiel(settings: BreakerSettings): Breaker {
  const policy = cockatielPolicy(settings);
  const subscriptions: { dispose(): void }[] = [];
  return {
    execute<T>(action: () => Promise<T>): Promise<T> {
      // A closed cockatiel circuit always runs the action and settles as it did (it reads its
      // state synchronously on entry), so there is nothing to translate: returning its promise
      // as is keeps the adapter within 10% of cockatiel's own cost (bench/overhead.ts).
      if (policy.state === CockatielState.Closed) return policy.execute(action);
      return policy.execute(action).catch(toOpenError);
    },
    get state(): CircuitState {
      return STATES[policy.state];
    },
    onStateChange(listener) {
      subscriptions.push(policy.onStateChange((state) => listener(STATES[state])));
    },
    // cockatiel holds no timers: half-open is decided when the next call arrives.
    dispose: () => subscriptions.forEach((subscription) => subscription.dispose()),
  };
}

export const cockatiel = installedLibrary('cockatiel', createCockatiel);
