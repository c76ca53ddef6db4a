import { InputError } from '../input-error.ts';
import { serverModeOf, type Scenario } from './scenario.ts';
import { ScenarioTime } from './scenario-time.ts';

/**
 * The longest delay Node's timers hold (2^31 - 1 ms, about 24.8 days). A longer one is not an
 * error to Node: it warns (TimeoutOverflowWarning) and fires after 1 ms, so a breaker told to
 * stay open for longer lets a trial through on every call.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** `--speed` from a hundredth (100 times slower) to a thousand times faster. */
export const SPEED_RANGE = { min: 0.01, max: 1000 } as const;

/** Callers per library per call: beyond this a row takes minutes and says nothing more. */
export const MAX_CONCURRENCY = 1000;

/** Consecutive failures that open a circuit, half-open trials, and calls in one phase of a schedule. */
export const MAX_COUNT = 100_000;

/** A scenario field out of range; `field` names it so the command line can name its flag. */
export class ScenarioBoundError extends InputError {
  override readonly name = 'ScenarioBoundError';
  constructor(
    readonly field: keyof Scenario,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Checks what the field checks cannot see alone: every duration, divided by the speed, fits in
 * Node's timers; the speed and the counts stay in a sane range. Throws ScenarioBoundError.
 */
export function checkScenarioBounds(scenario: Scenario): void {
  const { speed } = scenario;
  if (!(speed >= SPEED_RANGE.min && speed <= SPEED_RANGE.max)) {
    throw new ScenarioBoundError(
      'speed',
      `speed must be from ${SPEED_RANGE.min} to ${SPEED_RANGE.max}, got ${speed}`,
    );
  }
  const time = new ScenarioTime(speed);
  const maxSeconds = time.seconds(MAX_TIMER_MS);
  for (const field of ['resetTimeout', 'delay', 'requestTimeout'] as const) {
    const seconds = scenario[field];
    if (time.realMs(seconds) > MAX_TIMER_MS) {
      throw new ScenarioBoundError(
        field,
        `${field} ${seconds} s at speed ${speed} is ${formatMs(time.realMs(seconds))} of real time, ` +
          `more than Node's timers hold (${MAX_TIMER_MS} ms, about 24.8 days); ` +
          `valid: up to ${round(maxSeconds)} s at speed ${speed}`,
      );
    }
  }
  if (scenario.slowCall !== undefined && time.realMs(scenario.slowCall) > MAX_TIMER_MS) {
    throw new ScenarioBoundError(
      'slowCall',
      `slowCall ${scenario.slowCall} s at speed ${speed} is ${formatMs(time.realMs(scenario.slowCall))} of real time, ` +
        `more than Node's timers hold (${MAX_TIMER_MS} ms); valid: up to ${round(maxSeconds)} s at speed ${speed}`,
    );
  }
  if (
    scenario.failureRate !== undefined &&
    time.realMs(scenario.failureRate.window) > MAX_TIMER_MS
  ) {
    throw new ScenarioBoundError(
      'failureRate',
      `failureRate window ${scenario.failureRate.window} s at speed ${speed} is ${formatMs(time.realMs(scenario.failureRate.window))} of real time, ` +
        `more than Node's timers hold (${MAX_TIMER_MS} ms); valid: up to ${round(maxSeconds)} s at speed ${speed}`,
    );
  }
  if (scenario.brokenCallers !== undefined && scenario.brokenCallers > scenario.concurrency) {
    throw new ScenarioBoundError(
      'brokenCallers',
      `brokenCallers must be a whole number from 1 to the callers per call (concurrency ${scenario.concurrency}), got ${scenario.brokenCallers}`,
    );
  }
  for (const phase of scenario.schedule) {
    const mode = serverModeOf(phase.server);
    if (mode?.kind === 'slow' && mode.ms / speed > MAX_TIMER_MS) {
      throw new ScenarioBoundError(
        'schedule',
        `"${phase.server}" at speed ${speed} is ${formatMs(mode.ms / speed)} of real time, ` +
          `more than Node's timers hold (${MAX_TIMER_MS} ms); valid: slow=<ms> up to ${Math.floor(MAX_TIMER_MS * speed)}`,
      );
    }
    if (phase.calls > MAX_COUNT) {
      throw new ScenarioBoundError(
        'schedule',
        `"${phase.server}:${phase.calls}" has more than ${MAX_COUNT} calls; valid: 1 to ${MAX_COUNT} calls a phase`,
      );
    }
  }
  if (scenario.concurrency > MAX_CONCURRENCY) {
    throw new ScenarioBoundError(
      'concurrency',
      `concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got ${scenario.concurrency}`,
    );
  }
  if (scenario.halfOpen && scenario.halfOpen.calls > MAX_COUNT) {
    throw new ScenarioBoundError(
      'halfOpen',
      `halfOpen.calls must be a whole number from 1 to ${MAX_COUNT}, got ${scenario.halfOpen.calls}`,
    );
  }
  if (scenario.failures > MAX_COUNT) {
    throw new ScenarioBoundError(
      'failures',
      `failures must be a whole number from 1 to ${MAX_COUNT}, got ${scenario.failures}`,
    );
  }
}

export function isScenarioBoundError(error: unknown): error is ScenarioBoundError {
  return error instanceof ScenarioBoundError;
}

function formatMs(ms: number): string {
  return `${ms < 1e9 ? Math.round(ms) : ms.toExponential(2)} ms`;
}

function round(value: number): number {
  return Math.floor(value * 1000) / 1000;
}
