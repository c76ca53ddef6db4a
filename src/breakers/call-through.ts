import { isCircuitOpenError, type Breaker } from './breaker.ts';

/**
 * What one call through a breaker came to: `rejected` when the library refused to run it,
 * `ignored` for an error the breaker's filter did not count as a failure (a 404 the scenario ignores).
 */
export type CallOutcome = 'success' | 'failure' | 'rejected' | 'ignored';

export interface CallResult {
  outcome: CallOutcome;
  /**
   * The action ran while the circuit was not closed: the breaker's trial call. (A caller that
   * cockatiel holds back during a trial, or that finds another process's trial already closed the
   * shared circuit, runs its action on a closed circuit: not a trial.)
   */
  trial: boolean;
  /** Why it failed or was rejected, one line. */
  error?: string;
  /**
   * The caller saw an error that neither the action threw nor the library's refusal is: the
   * breaker itself failed (a shared circuit letting a Redis error through, say).
   */
  foreign?: true;
}

/**
 * Runs `action` through `breaker` and records what came of it; never throws. The one rule for
 * outcomes and trials, shared by the lab's runner and the fleet demo's workers.
 */
export async function callThrough(
  breaker: Breaker,
  action: () => Promise<unknown>,
  isFailure?: (error: unknown) => boolean,
): Promise<CallResult> {
  let trial = false;
  let thrown: { error: unknown } | undefined;
  try {
    await breaker.execute(async () => {
      trial = breaker.state !== 'closed';
      try {
        return await action();
      } catch (error) {
        thrown = { error };
        throw error;
      }
    });
    return { outcome: 'success', trial };
  } catch (error) {
    const rejected = isCircuitOpenError(error);
    const outcome: CallOutcome = rejected
      ? 'rejected'
      : isFailure && !isFailure(error)
        ? 'ignored'
        : 'failure';
    const message = error instanceof Error ? error.message : String(error);
    const foreign = !rejected && thrown?.error !== error;
    return { outcome, trial, error: message, ...(foreign && { foreign }) };
  }
}
