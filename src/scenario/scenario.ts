import type { HalfOpenSampling } from '../breakers/breaker.ts';
import { InputError } from '../input-error.ts';
import {
  formatMode,
  isModeError,
  MODE_FORMS,
  parseMode,
  type ServerMode,
} from '../server/server-mode.ts';

/**
 * What the server does during a phase: `off` closes its port, `on` answers `Hello world!`, and the
 * fault modes misbehave: `slow=800`, `hang`, `error=503`, `flaky=0.3`, `fail-every=2`, `reset`.
 * `fail-every` counts each library's requests from the start of its phase.
 */
export type ServerSetting =
  | 'on'
  | 'off'
  | 'hang'
  | 'reset'
  | `slow=${number}`
  | `error=${number}`
  | `flaky=${number}`
  | `fail-every=${number}`;

/** The running server's mode for a setting; `undefined` for `off` (the port is closed). */
export function serverModeOf(setting: ServerSetting): ServerMode | undefined {
  return setting === 'off' ? undefined : parseMode(setting);
}

/** Normalises `up`/`down` and checks a setting; throws ModeError when it is none. */
export function parseServerSetting(text: string): ServerSetting {
  const trimmed = text.trim();
  if (trimmed === 'off' || trimmed === 'down') return 'off';
  const mode = parseMode(trimmed);
  return mode.kind === 'up' ? 'on' : (formatMode(mode) as ServerSetting);
}

export interface Phase {
  server: ServerSetting;
  /** Calls made, one per library, while the server is in this phase. */
  calls: number;
}

/** A scenario in scenario seconds; `speed` divides every duration when it runs. */
export interface Scenario {
  /** Consecutive failures that open the circuit. */
  failures: number;
  /** Seconds the circuit stays open before one trial call. */
  resetTimeout: number;
  /** Seconds between one call's end and the next call. */
  delay: number;
  /** Seconds before a request is abandoned. */
  requestTimeout: number;
  schedule: Phase[];
  /** Every duration is divided by this; printed times stay in scenario seconds. */
  speed: number;
  /** Callers per library making each call at the same moment. */
  concurrency: number;
  /** HTTP statuses that must not count as failures (given to each library's error filter). */
  ignoreStatuses: number[];
  /**
   * The trial calls a half-open circuit lets through and the share of them that may fail (each
   * library's mapping in src/breakers/). Default: one trial, no failure allowed.
   */
  halfOpen?: HalfOpenSampling;
  /**
   * Seconds after which a call still running counts as failed, for a library that can count it
   * then (the shared circuit's slowCallMs); the others count a call when it ends. Default: none.
   */
  slowCall?: number;
  /**
   * Open also on a failure rate, for the libraries that count one: the shared circuit's
   * `failureRatio` (at or above the ratio) and opossum's rolling window (above it); cockatiel and
   * mollitia keep counting consecutive failures. Default: none.
   */
  failureRate?: FailureRate;
  /**
   * The last this many callers of each library call through a broken route (a loopback port
   * nothing listens on) while the others reach the server. With it, each caller is a process of
   * its own: a breaker of its own, and for the shared circuit a process id of its own on the one
   * circuit its callers share. Default: none.
   */
  brokenCallers?: number;
  /** The shared circuit's `minProcesses`: distinct processes whose failures open the fleet's circuit. Default 1. */
  minProcesses?: number;
}

/** A failure rate over a time window, in scenario seconds. */
export interface FailureRate {
  /** The share of calls that fails, above 0 and at most 1. */
  ratio: number;
  /** The fewest calls in the window that can open the circuit. */
  minimumThroughput: number;
  /** The window, in scenario seconds. */
  window: number;
}

/** `failure rate 0.4 over 6 s, once 6 calls are in it`: the scenario line's words for it. */
export function describeFailureRate(rate: FailureRate): string {
  return `or a failure rate of ${rate.ratio} over ${rate.window} s once ${rate.minimumThroughput} calls are in it`;
}

/** The seed's scenario: server off for 10 calls, then on for 10; 3 failures; 6 s open; 1 s apart. */
export const SEED_SCENARIO: Scenario = {
  failures: 3,
  resetTimeout: 6,
  delay: 1,
  requestTimeout: 2,
  schedule: [
    { server: 'off', calls: 10 },
    { server: 'on', calls: 10 },
  ],
  speed: 1,
  concurrency: 1,
  ignoreStatuses: [],
};

export const SCHEDULE_FORM = `comma-separated phases <server>:<calls>, server one of on, off, ${MODE_FORMS.replace('up, ', '')}; e.g. "off:10,on:10" or "on:3,slow=800:5,on:4"`;

/** A schedule or scenario that cannot run; the message names the part or field and shows its value. */
export class ScenarioError extends InputError {
  override readonly name = 'ScenarioError';
}

/** Parses `off:10,slow=800:5,on:10` into phases; throws ScenarioError naming the bad part. */
export function parseSchedule(text: string): Phase[] {
  return text.split(',').map((raw) => {
    const part = raw.trim();
    const colon = part.lastIndexOf(':');
    const callsText = part.slice(colon + 1);
    const calls = Number(callsText);
    const bad = (why: string) => new ScenarioError(`"${part}" ${why}; expected ${SCHEDULE_FORM}`);
    if (colon < 1 || !/^\d+$/.test(callsText) || calls < 1) throw bad('is not a phase');
    try {
      return { server: parseServerSetting(part.slice(0, colon)), calls };
    } catch (error) {
      if (isModeError(error)) throw bad('has an unknown server setting');
      throw error;
    }
  });
}

export function formatSchedule(schedule: readonly Phase[]): string {
  return schedule.map((phase) => `${phase.server}:${phase.calls}`).join(',');
}
