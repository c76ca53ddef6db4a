import type { CircuitState } from '../breakers/breaker.ts';
import { allowedFailures, halfOpenOf } from '../breakers/half-open.ts';
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
 * With `halfOpen`, the trial is `calls` trials (cockatiel's halfOpenSampling): the circuit stays
 * half-open through them, re-opens on the failure that passes the share, closes after the last.
 * Returns undefined where the model cannot predict: concurrent callers, `flaky`, ignored statuses,
 * a failure rate asked for (a rule beside N consecutive failures).
 */
export function consecutiveModel(
  scenario: Pick<Scenario, 'schedule' | 'failures' | 'resetTimeout' | 'delay' | 'requestTimeout'> &
    Partial<Pick<Scenario, 'concurrency' | 'ignoreStatuses' | 'halfOpen' | 'failureRate'>>,
  timeline?: readonly CallTiming[],
  tie?: BoundaryTie,
): ModelCall[] | undefined {
  if (
    (scenario.concurrency ?? 1) > 1 ||
    (scenario.ignoreStatuses ?? []).length > 0 ||
    scenario.failureRate !== undefined
  )
    return undefined;
  const sampling = halfOpenOf(scenario);
  const calls: ModelCall[] = [];
  let state: CircuitState = 'closed';
  let consecutive = 0;
  let openedAt = 0;
  let call = 0;
  /** The trials of the current half-open state. */
  let trials = { successes: 0, failures: 0 };
  for (const phase of scenario.schedule) {
    const answers = answersInTime(phase.server, scenario.requestTimeout);
    if (answers === undefined) return undefined;
    let requests = 0; // this phase's requests so far, as `fail-every` counts them
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
      requests += 1;
      const healthy = answers(requests);
      const trial = state !== 'closed';
      let opens: boolean;
      if (trial) {
        if (state === 'open') trials = { successes: 0, failures: 0 }; // a new half-open state
        if (healthy) trials.successes += 1;
        else trials.failures += 1;
        opens = trials.failures > allowedFailures(sampling);
        state = trials.successes + trials.failures >= sampling.calls ? 'closed' : 'half-open';
      } else {
        consecutive = healthy ? 0 : consecutive + 1;
        opens = consecutive >= scenario.failures;
      }
      if (opens) {
        state = 'open';
        openedAt = t + (timing?.latency ?? 0);
        consecutive = 0; // counted afresh once it closes again
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

/**
 * Whether the n-th request of a phase gets a 2xx within the request timeout; undefined where it is
 * a matter of chance.
 */
function answersInTime(
  setting: Scenario['schedule'][number]['server'],
  requestTimeout: number,
): ((request: number) => boolean) | undefined {
  const always = (healthy: boolean) => () => healthy;
  const mode = serverModeOf(setting);
  switch (mode?.kind) {
    case undefined:
    case 'hang':
    case 'reset':
    case 'error':
      return always(false);
    case 'up':
      return always(true);
    case 'slow':
      return always(mode.ms / 1000 < requestTimeout);
    case 'flaky':
      return mode.rate === 0 ? always(true) : mode.rate === 1 ? always(false) : undefined;
    case 'fail-every':
      return (request) => request % mode.n !== 0;
  }
}
