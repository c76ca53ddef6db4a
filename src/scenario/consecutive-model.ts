import type { CircuitState } from '../../src/breakers/breaker.ts';
import type { Phase } from '../../src/scenario/scenario.ts';

export interface ModelCall {
  call: number;
  outcome: 'success' | 'failure' | 'rejected';
  state: CircuitState;
  trial: boolean;
}

/**
 * What "open after N consecutive failures, stay open T seconds, one trial call" predicts for a
 * schedule of on/off phases with calls `delay` apart (call k at (k-1) x delay). Worked out here so
 * that tests state the expectation independently of any library.
 */
export function consecutiveModel(
  schedule: readonly Phase[],
  failures: number,
  resetTimeout: number,
  delay: number,
): ModelCall[] {
  const calls: ModelCall[] = [];
  let state: CircuitState = 'closed';
  let consecutive = 0;
  let openedAt = 0;
  let call = 0;
  for (const phase of schedule) {
    for (let i = 0; i < phase.calls; i += 1) {
      call += 1;
      const t = (call - 1) * delay;
      const serverOk = phase.server === 'on';
      if (state === 'open' && t - openedAt < resetTimeout) {
        calls.push({ call, outcome: 'rejected', state, trial: false });
        continue;
      }
      const trial = state === 'open';
      if (serverOk) {
        state = 'closed';
        consecutive = 0;
      } else if (trial || ++consecutive >= failures) {
        state = 'open';
        openedAt = t;
      }
      calls.push({ call, outcome: serverOk ? 'success' : 'failure', state, trial });
    }
  }
  return calls;
}
