import type { CircuitState } from '../../src/breakers/breaker.ts';

export interface SeedExpectation {
  state: CircuitState;
  /** Ideal "Time till open" in scenario seconds. */
  timeTillOpen: number;
  /** Calls since the circuit last opened (how much drift may have built up); null before it ever opened. */
  callsSinceOpened: number | null;
}

/**
 * The seed's scenario worked out call by call under "open after 3 consecutive failures, 6 s open,
 * one trial": calls 1-2 fail closed, call 3 opens (t=2), 4-8 are rejected, call 9 (t=8) is a
 * failing trial that re-opens, 10-14 are rejected, call 15 (t=14) is a trial that succeeds.
 */
export function seedExpectations(): SeedExpectation[] {
  const expectations: SeedExpectation[] = [];
  let openedAtCall: number | null = null;
  for (let call = 1; call <= 20; call += 1) {
    if (call === 3 || call === 9) openedAtCall = call;
    const state: CircuitState = call <= 2 || call >= 15 ? 'closed' : 'open';
    const callsSinceOpened = openedAtCall === null ? null : call - openedAtCall;
    const timeTillOpen = callsSinceOpened === null ? 6 : 6 - callsSinceOpened;
    expectations.push({ state, timeTillOpen, callsSinceOpened });
  }
  return expectations;
}
