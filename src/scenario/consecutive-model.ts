import type { CircuitState } from '../breakers/breaker.ts';
import { serverModeOf, type Scenario } from './scenario.ts';

export interface ModelCall {
  call: number;
  outcome: 'success' | 'failure' | 'rejected';
  state: CircuitState;
  trial: boolean;
}

/** When a call started and how long it took, in scenario seconds. */
export interface CallTiming {
  at: number;
  latency: number;
}

/**
 * What "open after N consecutive failures, stay open T seconds, one trial call" predicts, call by
 * call. With `timeline` (a run's real call times) it predicts for that run, so drift and stalls
 * cannot make a library look wrong; without it call k starts at (k-1) x delay and takes no time. This is the meaning the lab asks of every library; a library
 * whose trace differs from it is doing something else, and the matrix says what.
 * Returns undefined where the model cannot predict: concurrent callers, `flaky`, ignored statuses.
 */
export function consecutiveModel(
  scenario: Pick<Scenario, 'schedule' | 'failures' | 'resetTimeout' | 'delay' | 'requestTimeout'> &
    Partial<Pick<Scenario, 'concurrency' | 'ignoreStatuses'>>,
  timeline?: readonly CallTiming[],
  tie?: BoundaryTie,
): ModelCall[] | undefined {
  if ((scenario.concurrency ?? 1) > 1 || (scenario.ignoreStatuses ?? []).length > 0)
    return undefined;
  const calls: ModelCall[] = [];
  let state: CircuitState = 'closed';
  let consecutive = 0;
  let openedAt = 0;
  let call = 0;
  for (const phase of scenario.schedule) {
    const healthy = answersInTime(phase.server, scenario.requestTimeout);
    if (healthy === undefined) return undefined;
    for (let i = 0; i < phase.calls; i += 1) {
      call += 1;
      const timing = timeline?.[call - 1];
      const t = timing ? timing.at : (call - 1) * scenario.delay;
      const left = scenario.resetTimeout - (t - openedAt);
      const stillOpen = tie && Math.abs(left) < tie.seconds ? !tie.letThrough(call) : left > 0;
      if (state === 'open' && stillOpen) {
        calls.push({ call, outcome: 'rejected', state, trial: false });
        continue;
      }
      const trial = state === 'open';
      if (healthy) {
        state = 'closed';
        consecutive = 0;
      } else if (trial || ++consecutive >= scenario.failures) {
        state = 'open';
        openedAt = t + (timing?.latency ?? 0);
      }
      calls.push({ call, outcome: healthy ? 'success' : 'failure', state, trial });
    }
  }
  return calls;
}

/**
 * A call this close to the end of a reset timeout (scenario seconds) lands on either side of it in
 * a real run: a library's timer and the call can fire in the same millisecond either way round.
 * There the model follows what the run did (`letThrough`: the library ran the call).
 */
export interface BoundaryTie {
  seconds: number;
  letThrough: (call: number) => boolean;
}

/** Whether a call gets a 2xx within the request timeout; undefined where it is a matter of chance. */
function answersInTime(
  setting: Scenario['schedule'][number]['server'],
  requestTimeout: number,
): boolean | undefined {
  const mode = serverModeOf(setting);
  switch (mode?.kind) {
    case undefined:
    case 'hang':
    case 'reset':
    case 'error':
      return false;
    case 'up':
      return true;
    case 'slow':
      return mode.ms / 1000 < requestTimeout;
    case 'flaky':
      return mode.rate === 0 ? true : mode.rate === 1 ? false : undefined;
    case 'fail-every':
      return mode.n === 1 ? false : undefined;
  }
}
