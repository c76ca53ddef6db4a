import type { HalfOpenSampling } from '../breakers/breaker.ts';
import { halfOpenOf } from '../breakers/half-open.ts';
import { LIBRARY_NAMES, DEFAULT_LIBRARIES, type LibraryName } from '../libraries/registry.ts';
import { isErrorStatus } from '../http/protocol.ts';
import {
  formatSchedule,
  parseSchedule,
  SEED_SCENARIO,
  type FailureRate,
  type Scenario,
} from '../scenario/scenario.ts';
import { loadScenarioFile } from '../scenario/scenario-file.ts';
import {
  checkScenarioBounds,
  isScenarioBoundError,
  MAX_CONCURRENCY,
  MAX_COUNT,
  SPEED_RANGE,
} from '../scenario/scenario-bounds.ts';
import { commandLine } from './command-line.ts';
import { parsePort, parsePositive, parseShare, parseWhole, parseWholeUpTo } from './numbers.ts';
import { fromOption } from './option-context.ts';
import { UsageError } from './usage-error.ts';

export interface LabOptions {
  scenario: Scenario;
  libraries: LibraryName[];
  port: number;
  output: 'table' | 'json' | 'seed';
  /** Where to write the HTML timeline report, if asked. */
  report: string | undefined;
  help: boolean;
}

const DEFAULT_PORT = 5000;

export const LAB_COMMAND = commandLine({
  usage: 'npm start -- [options]',
  about: `Runs one scenario for several circuit breaker libraries at once, against one real mock server,
and shows what each library did after every call.`,
  options: {
    scenario: {
      value: '<file>',
      help: 'start from a scenario file, e.g. scenarios/hang.json; options below override it',
    },
    library: {
      value: '<names>',
      help: `comma list of ${LIBRARY_NAMES.join(', ')} (default: ${DEFAULT_LIBRARIES.join(', ')});
fleet is the circuit shared in Redis at $REDIS_URL (default redis://127.0.0.1:6379)`,
    },
    failures: {
      value: '<n>',
      help: `consecutive failures that open the circuit, 1 to ${MAX_COUNT} (default ${SEED_SCENARIO.failures})`,
    },
    'reset-timeout': {
      value: '<s>',
      help: `seconds the circuit stays open before one trial call (default ${SEED_SCENARIO.resetTimeout})`,
    },
    'half-open-calls': {
      value: '<n>',
      help: `trial calls a half-open circuit lets through before it closes, 1 to ${MAX_COUNT}
(default 1); opossum makes one whatever this says, mollitia judges them by its own
threshold: the departure lines say where a library differs`,
    },
    'half-open-failure-share': {
      value: '<r>',
      help: `share of those trials that may fail, from 0 to below 1 (default 0): of n trials,
floor(n x r) may fail and one more re-opens the circuit, e.g. 0.25`,
    },
    'slow-call': {
      value: '<s>',
      help: `seconds after which a call still running counts as failed (the shared circuit's
slowCallMs; default none): opossum, cockatiel and mollitia count a call when it ends`,
    },
    'failure-rate': {
      value: '<r>',
      help: `also open when this share of calls failed, above 0 and at most 1 (default none),
e.g. 0.4: the shared circuit's failureRatio (at or above it, counted by the fleet) and
opossum's errorThresholdPercentage (above it, per process); cockatiel and mollitia
keep counting consecutive failures`,
    },
    'minimum-throughput': {
      value: '<n>',
      help: `with --failure-rate: the fewest calls in the window that can open the circuit,
1 to ${MAX_COUNT} (default --failures): minimumThroughput, opossum's volumeThreshold`,
    },
    'sampling-window': {
      value: '<s>',
      help: `with --failure-rate: the window in seconds (default two reset timeouts):
samplingDurationMs, opossum's rollingCountTimeout`,
    },
    'broken-callers': {
      value: '<n>',
      help: `the last n callers call a port nothing listens on (a broken route), 1 to
--concurrency (default none); each caller is then a process of its own with a breaker
of its own (the shared circuit: one circuit, a process id per caller)`,
    },
    'min-processes': {
      value: '<n>',
      help: `the shared circuit's minProcesses, 1 to ${MAX_COUNT} (default 1): processes whose
failures open the fleet's circuit; from 2 a process's own failures open its own`,
    },
    delay: { value: '<s>', help: `seconds between calls (default ${SEED_SCENARIO.delay})` },
    'request-timeout': {
      value: '<s>',
      help: `seconds before a request is abandoned (default ${SEED_SCENARIO.requestTimeout})`,
    },
    schedule: {
      value: '<phases>',
      help: `the server's phases, <server>:<calls> separated by commas
(default ${formatSchedule(SEED_SCENARIO.schedule)}); server is on, off, slow=<ms>,
hang, error=<status>, flaky=<rate>, fail-every=<n> or reset, e.g. on:3,off:5,on:4;
fail-every=2 fails each library's 2nd, 4th, ... request of the phase`,
    },
    concurrency: {
      value: '<n>',
      help: `callers per library making each call at once, 1 to ${MAX_CONCURRENCY} (default 1)`,
    },
    'ignore-status': {
      value: '<codes>',
      help: `comma list of HTTP statuses the breakers must not count as failures
(default none), e.g. 404`,
    },
    speed: {
      value: '<x>',
      help: `divide every duration by x, ${SPEED_RANGE.min} to ${SPEED_RANGE.max} (default 1); times shown stay
in scenario seconds; each duration divided by x must fit Node's timers (24.8 days)`,
    },
    port: {
      value: '<n>',
      help: `port of the mock server, 0 for a free one (default ${DEFAULT_PORT})`,
    },
    json: {
      help: `print the trace as one JSON document on stdout, nothing else (through npm, add -s:
npm start -s -- --json > trace.json)`,
    },
    'seed-format': { help: "print the seed's own lines, one library after another" },
    report: {
      value: '<file.html>',
      help: `also write the HTML timeline report (one self-contained page) to this file; its
folder must exist (reports/ is there for it); relative to where you ran npm`,
    },
    help: { help: 'show this help' },
  },
  footer:
    'Colours: closed green, open red, half-open yellow; plain when piped or with NO_COLOR set.',
});

export function parseLabOptions(argv: readonly string[]): LabOptions {
  const values = LAB_COMMAND.parse(argv);
  if (values.json && values['seed-format']) {
    throw new UsageError('--json and --seed-format are two outputs; choose one');
  }
  const option = <T>(raw: string | undefined, parse: (raw: string) => T, fallback: T): T =>
    raw === undefined ? fallback : parse(raw);
  const path = values.scenario;
  const file =
    path === undefined ? undefined : fromOption(`--scenario`, () => loadScenarioFile(path), ' ');
  const base: Scenario = file ? { ...file.scenario, speed: 1 } : SEED_SCENARIO;
  const halfOpen = halfOpenFrom(values, base.halfOpen);
  const failures = option(values.failures, (raw) => parseWhole('--failures', raw), base.failures);
  const resetTimeout = option(
    values['reset-timeout'],
    (raw) => parsePositive('--reset-timeout', raw),
    base.resetTimeout,
  );
  const failureRate = failureRateFrom(values, base.failureRate, { failures, resetTimeout });
  const brokenCallers = option(
    values['broken-callers'],
    (raw) => parseWholeUpTo('--broken-callers', raw, MAX_CONCURRENCY),
    base.brokenCallers,
  );
  const minProcesses = option(
    values['min-processes'],
    (raw) => parseWholeUpTo('--min-processes', raw, MAX_COUNT),
    base.minProcesses,
  );
  const scenario: Scenario = {
    failures,
    resetTimeout,
    delay: option(values.delay, (raw) => parsePositive('--delay', raw), base.delay),
    requestTimeout: option(
      values['request-timeout'],
      (raw) => parsePositive('--request-timeout', raw),
      base.requestTimeout,
    ),
    schedule: option(
      values.schedule,
      (raw) => fromOption('--schedule', () => parseSchedule(raw)),
      base.schedule,
    ),
    speed: option(values.speed, (raw) => parsePositive('--speed', raw), base.speed),
    concurrency: option(
      values.concurrency,
      (raw) => parseWhole('--concurrency', raw),
      base.concurrency,
    ),
    ignoreStatuses: option(values['ignore-status'], parseStatuses, base.ignoreStatuses),
    ...(halfOpen ? { halfOpen } : {}),
    ...(values['slow-call'] === undefined
      ? base.slowCall === undefined
        ? {}
        : { slowCall: base.slowCall }
      : { slowCall: parsePositive('--slow-call', values['slow-call']) }),
    ...(failureRate === undefined ? {} : { failureRate }),
    ...(brokenCallers === undefined ? {} : { brokenCallers }),
    ...(minProcesses === undefined ? {} : { minProcesses }),
  };
  checkBounds(scenario, values, path);
  return {
    scenario,
    libraries: option(values.library, parseLibraries, [...DEFAULT_LIBRARIES]),
    port: option(values.port, parsePort, DEFAULT_PORT),
    output: values.json ? 'json' : values['seed-format'] ? 'seed' : 'table',
    report: values.report,
    help: values.help ?? false,
  };
}

/** The flag of each scenario field the bounds check, for the one-line error. */
const FIELD_FLAGS = {
  failures: 'failures',
  resetTimeout: 'reset-timeout',
  delay: 'delay',
  requestTimeout: 'request-timeout',
  schedule: 'schedule',
  speed: 'speed',
  concurrency: 'concurrency',
  halfOpen: 'half-open-calls',
  slowCall: 'slow-call',
  failureRate: 'sampling-window',
  brokenCallers: 'broken-callers',
} as const;

/** Bounds that span fields (a duration after --speed); names the flag, or the file it came from. */
function checkBounds(
  scenario: Scenario,
  values: Readonly<Record<string, string | boolean | undefined>>,
  file: string | undefined,
): void {
  try {
    checkScenarioBounds(scenario);
  } catch (error) {
    if (!isScenarioBoundError(error) || !(error.field in FIELD_FLAGS)) throw error;
    const flag = FIELD_FLAGS[error.field as keyof typeof FIELD_FLAGS];
    const where =
      values[flag] === undefined && file !== undefined ? `--scenario ${file}` : `--${flag}`;
    throw new UsageError(`${where}: ${error.message}`);
  }
}

/**
 * The half-open sampling asked for: each flag over the scenario file's value, a flag alone
 * completed by the file's other value or the default (one trial, none may fail).
 */
function halfOpenFrom(
  values: { 'half-open-calls'?: string; 'half-open-failure-share'?: string },
  base: HalfOpenSampling | undefined,
): HalfOpenSampling | undefined {
  const calls = values['half-open-calls'];
  const share = values['half-open-failure-share'];
  if (calls === undefined && share === undefined) return base;
  const { calls: baseCalls, failureShare: baseShare } = base ?? halfOpenOf({});
  return {
    calls: calls === undefined ? baseCalls : parseWhole('--half-open-calls', calls),
    failureShare: share === undefined ? baseShare : parseShare('--half-open-failure-share', share),
  };
}

/**
 * The failure rate asked for: each flag over the scenario file's value; `--failure-rate` alone
 * takes a throughput of `--failures` calls and a window of two reset timeouts (opossum's adapter's).
 */
function failureRateFrom(
  values: {
    'failure-rate'?: string;
    'minimum-throughput'?: string;
    'sampling-window'?: string;
  },
  base: FailureRate | undefined,
  scenario: { failures: number; resetTimeout: number },
): FailureRate | undefined {
  const ratio = values['failure-rate'];
  const throughput = values['minimum-throughput'];
  const window = values['sampling-window'];
  if (ratio === undefined && base === undefined) {
    const stray =
      throughput !== undefined
        ? '--minimum-throughput'
        : window !== undefined
          ? '--sampling-window'
          : undefined;
    if (stray !== undefined)
      throw new UsageError(`${stray} goes with --failure-rate, which is not given`);
    return undefined;
  }
  return {
    ratio: ratio === undefined ? (base?.ratio ?? 1) : parseRatio('--failure-rate', ratio),
    minimumThroughput:
      throughput === undefined
        ? (base?.minimumThroughput ?? scenario.failures)
        : parseWholeUpTo('--minimum-throughput', throughput, MAX_COUNT),
    window:
      window === undefined
        ? (base?.window ?? scenario.resetTimeout * 2)
        : parsePositive('--sampling-window', window),
  };
}

function parseRatio(option: string, raw: string): number {
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!(value > 0 && value <= 1)) {
    throw new UsageError(
      `${option} must be a number above 0 and at most 1, e.g. 0.4, got "${raw}"`,
    );
  }
  return value;
}

function parseLibraries(raw: string): LibraryName[] {
  const names = raw.split(',').map((name) => name.trim());
  const known: readonly string[] = LIBRARY_NAMES;
  for (const name of names) {
    if (!known.includes(name)) {
      throw new UsageError(
        `--library: unknown library "${name}"; valid: ${LIBRARY_NAMES.join(', ')} (comma list)`,
      );
    }
  }
  return [...new Set(names as LibraryName[])];
}

function parseStatuses(raw: string): number[] {
  return raw.split(',').map((part) => {
    const status = Number(part.trim());
    if (!isErrorStatus(status)) {
      throw new UsageError(
        `--ignore-status: "${part}" is not an HTTP error status; expected codes 400-599, e.g. 404,422`,
      );
    }
    return status;
  });
}
