/**
 * The circuit's rules, in one place: what a failure, a success and a request for a trial do in
 * each state. The in-process fallback (local-fallback.ts) runs them as they are; the Lua scripts
 * (scripts.ts) are the same rules on Redis's clock, and test/policy-*.test.ts hold both to them.
 */
export interface PolicySettings {
  /** Consecutive failures that open a closed circuit. */
  readonly failures: number;
  /** How long an open circuit waits before a trial call may start. */
  readonly resetTimeoutMs: number;
  /** Trial calls allowed at once while half-open. */
  readonly halfOpenTrials: number;
  /** Trial successes that close a half-open circuit; any failed trial opens it again. */
  readonly successThreshold: number;
}

/**
 * `spell`: which closed spell this is or was last, counted up each time the circuit closes, so
 * a failure is counted only in the closed spell its call started in (the Lua scripts keep the
 * version at which the circuit closed, `spell` in scripts.ts).
 */
export type PolicyState =
  | { readonly state: 'closed'; readonly failures: number; readonly spell: number }
  | { readonly state: 'open'; readonly openedAt: number; readonly spell: number }
  /** `running`: trials under way; `successes`: trial successes counted in this half-open spell. */
  | {
      readonly state: 'half-open';
      readonly running: number;
      readonly successes: number;
      readonly spell: number;
    };

export const CLOSED: PolicyState = { state: 'closed', failures: 0, spell: 0 };

/**
 * A call failed. `trial`: it was a trial call granted by `grantTrial`. `startedIn`: the closed
 * spell the call started in (undefined: not started closed). A closed circuit counts only a
 * failure of its own spell: one from an earlier closed spell, delivered after the circuit opened
 * and closed again, or a trial's, delivered after other trials closed it, changes nothing.
 */
export function afterFailure(
  record: PolicyState,
  settings: PolicySettings,
  now: number,
  trial: boolean,
  startedIn?: number,
): PolicyState {
  const spell = record.spell;
  switch (record.state) {
    case 'closed': {
      if (startedIn !== spell) return record;
      const failures = record.failures + 1;
      return failures >= settings.failures
        ? { state: 'open', openedAt: now, spell }
        : { state: 'closed', failures, spell };
    }
    case 'half-open':
      return trial ? { state: 'open', openedAt: now, spell } : record;
    case 'open':
      // A call that started before the circuit opened and failed after: it changes nothing.
      return record;
  }
}

/**
 * A call succeeded (or failed with an error that does not count: the dependency answered).
 * `trial`: it holds a grant whose verdict has not counted yet; each grant counts once, as in the
 * Lua scripts, where a token counts only while its lease is in the set (scripts.ts trial_counts).
 */
export function afterSuccess(
  record: PolicyState,
  settings: PolicySettings,
  trial: boolean,
): PolicyState {
  switch (record.state) {
    case 'closed':
      return record.failures === 0 ? record : { ...record, failures: 0 };
    case 'half-open': {
      if (!trial) return record;
      const successes = record.successes + 1;
      if (successes >= settings.successThreshold) {
        return { state: 'closed', failures: 0, spell: record.spell + 1 };
      }
      return { ...record, running: Math.max(0, record.running - 1), successes };
    }
    case 'open':
      return record;
  }
}

/** A trial ended with no verdict (its caller aborted it): its place is free, nothing is counted. */
export function afterAbandonedTrial(record: PolicyState): PolicyState {
  if (record.state !== 'half-open') return record;
  return { ...record, running: Math.max(0, record.running - 1) };
}

/**
 * A call on a circuit that is not closed asks to run as a trial: granted once the reset timeout
 * has passed and while fewer than `halfOpenTrials` trials run; undefined when refused.
 */
export function grantTrial(
  record: PolicyState,
  settings: PolicySettings,
  now: number,
): PolicyState | undefined {
  switch (record.state) {
    case 'closed':
      return undefined;
    case 'open':
      if (now < record.openedAt + settings.resetTimeoutMs) return undefined;
      return { state: 'half-open', running: 1, successes: 0, spell: record.spell };
    case 'half-open':
      if (record.running >= settings.halfOpenTrials) return undefined;
      return { ...record, running: record.running + 1 };
  }
}

/** Milliseconds until a trial may be asked for: 0 now, undefined when the circuit is closed. */
export function retryInMs(
  record: PolicyState,
  settings: PolicySettings,
  now: number,
): number | undefined {
  switch (record.state) {
    case 'closed':
      return undefined;
    case 'open':
      return Math.max(0, record.openedAt + settings.resetTimeoutMs - now);
    case 'half-open':
      return 0;
  }
}
