import { LIBRARY_NAMES } from '../breakers/breaker.ts';
import {
  formatSchedule,
  parseSchedule,
  SEED_SCENARIO,
  type Scenario,
} from '../scenario/scenario.ts';
import { loadScenarioFile } from '../scenario/scenario-file.ts';
import { parsePort, parsePositive, parseWhole } from './numbers.ts';
import { parseCommandLine } from './parse-command-line.ts';
import { UsageError } from './usage-error.ts';

export interface LabOptions {
  scenario: Scenario;
  libraries: string[];
  port: number;
  output: 'table' | 'json' | 'seed';
  /** Where to write the HTML timeline report, if asked. */
  report: string | undefined;
  help: boolean;
}

const DEFAULT_PORT = 5000;

export const LAB_USAGE = `Usage: npm start -- [options]

Runs one scenario for several circuit breaker libraries at once, against one real mock server,
and shows what each library did after every call.

Options:
  --scenario <file>          start from a scenario file, e.g. scenarios/hang.json; options below override it
  --library <names>          comma list of ${LIBRARY_NAMES.join(', ')}, fleet (default: all but fleet);
                             fleet is the circuit shared in Redis at $REDIS_URL (default redis://127.0.0.1:6379)
  --failures <n>             consecutive failures that open the circuit (default ${SEED_SCENARIO.failures})
  --reset-timeout <s>        seconds the circuit stays open before one trial call (default ${SEED_SCENARIO.resetTimeout})
  --delay <s>                seconds between calls (default ${SEED_SCENARIO.delay})
  --request-timeout <s>      seconds before a request is abandoned (default ${SEED_SCENARIO.requestTimeout})
  --schedule <phases>        the server's phases, <server>:<calls> separated by commas
                             (default ${formatSchedule(SEED_SCENARIO.schedule)}); server is on, off, slow=<ms>,
                             hang, error=<status>, flaky=<rate> or reset, e.g. on:3,off:5,on:4
  --concurrency <n>          callers per library making each call at once (default 1)
  --ignore-status <codes>    comma list of HTTP statuses the breakers must not count as failures
                             (default none), e.g. 404
  --speed <x>                divide every duration by x; times shown stay in scenario seconds (default 1)
  --port <n>                 port of the mock server, 0 for a free one (default ${DEFAULT_PORT})
  --json                     print the trace as one JSON document on stdout, nothing else
  --seed-format              print the seed's own lines, one library after another
  --report <file.html>       also write the HTML timeline report (one self-contained page) to this file
  --help                     show this help

Colours: closed green, open red, half-open yellow; plain when piped or with NO_COLOR set.`;

const VALID =
  '--scenario, --library, --failures, --reset-timeout, --delay, --request-timeout, --schedule, --concurrency, --ignore-status, --speed, --port, --json, --seed-format, --report, --help';

/** `known`: the names `--library` accepts; `defaults`: the libraries run without `--library`. */
export function parseLabOptions(
  argv: readonly string[],
  known: readonly string[] = LIBRARY_NAMES,
  defaults: readonly string[] = known,
): LabOptions {
  const string = { type: 'string' } as const;
  const { values } = parseCommandLine(
    argv,
    {
      library: string,
      failures: string,
      'reset-timeout': string,
      delay: string,
      'request-timeout': string,
      schedule: string,
      scenario: string,
      concurrency: string,
      'ignore-status': string,
      speed: string,
      port: string,
      json: { type: 'boolean' },
      'seed-format': { type: 'boolean' },
      report: string,
      help: { type: 'boolean' },
    },
    VALID,
  );
  if (values.json && values['seed-format']) {
    throw new UsageError('--json and --seed-format are two outputs; choose one');
  }
  const option = <T>(raw: string | undefined, parse: (raw: string) => T, fallback: T): T =>
    raw === undefined ? fallback : parse(raw);
  const file = values.scenario === undefined ? undefined : loadScenarioFile(values.scenario);
  const base: Scenario = file ? { ...file.scenario, speed: 1 } : SEED_SCENARIO;
  const scenario: Scenario = {
    failures: option(values.failures, (raw) => parseWhole('--failures', raw), base.failures),
    resetTimeout: option(
      values['reset-timeout'],
      (raw) => parsePositive('--reset-timeout', raw),
      base.resetTimeout,
    ),
    delay: option(values.delay, (raw) => parsePositive('--delay', raw), base.delay),
    requestTimeout: option(
      values['request-timeout'],
      (raw) => parsePositive('--request-timeout', raw),
      base.requestTimeout,
    ),
    schedule: option(values.schedule, parseSchedule, base.schedule),
    speed: option(values.speed, (raw) => parsePositive('--speed', raw), base.speed),
    concurrency: option(
      values.concurrency,
      (raw) => parseWhole('--concurrency', raw),
      base.concurrency,
    ),
    ignoreStatuses: option(values['ignore-status'], parseStatuses, base.ignoreStatuses),
  };
  return {
    scenario,
    libraries: option(values.library, (raw) => parseLibraries(raw, known), [...defaults]),
    port: option(values.port, parsePort, DEFAULT_PORT),
    output: values.json ? 'json' : values['seed-format'] ? 'seed' : 'table',
    report: values.report,
    help: values.help ?? false,
  };
}

function parseLibraries(raw: string, known: readonly string[]): string[] {
  const names = raw.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!known.includes(name)) {
      throw new UsageError(
        `--library: unknown library "${name}"; valid: ${known.join(', ')} (comma list)`,
      );
    }
  }
  return [...new Set(names)];
}

function parseStatuses(raw: string): number[] {
  return raw.split(',').map((part) => {
    const status = Number(part.trim());
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new UsageError(
        `--ignore-status: "${part}" is not an HTTP error status; expected codes 400-599, e.g. 404,422`,
      );
    }
    return status;
  });
}
