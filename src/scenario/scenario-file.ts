import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { HalfOpenSampling } from '../breakers/breaker.ts';
import { FAILURE_SHARE_FORM, isFailureShare } from '../breakers/half-open.ts';
import { isErrorStatus } from '../http/protocol.ts';
import {
  parseSchedule,
  ScenarioError,
  SEED_SCENARIO,
  type FailureRate,
  type Scenario,
} from './scenario.ts';

/** A scenario as data (`scenarios/*.json`): the settings plus the question it asks. */
export interface ScenarioFile {
  /** The file name without `.json`. */
  id: string;
  /** The path it was read from, as given. */
  path: string;
  title: string;
  question: string;
  /** Everything but `speed`, which is the runner's choice. */
  scenario: Omit<Scenario, 'speed'>;
}

const NUMBER_FIELDS = [
  'failures',
  'resetTimeout',
  'delay',
  'requestTimeout',
  'concurrency',
] as const;
const WHOLE_FIELDS: readonly string[] = ['failures', 'concurrency'];
const KNOWN_FIELDS = new Set([
  'title',
  'question',
  'schedule',
  'ignoreStatuses',
  'halfOpen',
  'slowCall',
  'failureRate',
  'brokenCallers',
  'minProcesses',
  ...NUMBER_FIELDS,
]);

/** Reads and checks a scenario file; a bad file is a ScenarioError naming the file, field and value. */
export function loadScenarioFile(path: string): ScenarioFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ScenarioError(`${path}: ${unreadable(error)}`);
  }
  const bad = (what: string) => new ScenarioError(`${path}: ${what}`);
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw bad('expected a JSON object');
  const fields = data as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!KNOWN_FIELDS.has(key))
      throw bad(`unknown field "${key}"; valid: ${[...KNOWN_FIELDS].join(', ')}`);
  }
  const text = (key: string): string => {
    const value = fields[key];
    if (typeof value !== 'string' || value.trim() === '')
      throw bad(`"${key}" must be a non-empty string, got ${JSON.stringify(value)}`);
    return value;
  };
  const number = (key: (typeof NUMBER_FIELDS)[number]): number => {
    const value = fields[key] ?? (key === 'concurrency' ? 1 : SEED_SCENARIO[key]);
    const whole = WHOLE_FIELDS.includes(key);
    if (typeof value !== 'number' || !(value > 0) || (whole && !Number.isInteger(value))) {
      throw bad(
        `"${key}" must be ${whole ? 'a whole number >= 1' : 'a number > 0'}, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  };
  const ignore = fields['ignoreStatuses'] ?? [];
  if (
    !Array.isArray(ignore) ||
    !ignore.every((status) => typeof status === 'number' && isErrorStatus(status))
  ) {
    throw bad(
      `"ignoreStatuses" must be a list of HTTP statuses 400-599, got ${JSON.stringify(ignore)}`,
    );
  }
  const halfOpen = fields['halfOpen'] === undefined ? undefined : sampling(fields['halfOpen']);
  const failureRate = fields['failureRate'] === undefined ? undefined : rate(fields['failureRate']);
  const optional = (key: string, whole: boolean): number | undefined => {
    const value = fields[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !(value > 0) || (whole && !Number.isInteger(value))) {
      throw bad(
        `"${key}" must be ${whole ? 'a whole number >= 1' : 'a number > 0'}, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  };
  const slowCall = optional('slowCall', false);
  const brokenCallers = optional('brokenCallers', true);
  const minProcesses = optional('minProcesses', true);
  let schedule;
  try {
    schedule = parseSchedule(text('schedule'));
  } catch (error) {
    if (error instanceof ScenarioError) throw bad(`schedule: ${error.message}`);
    throw error;
  }
  return {
    id: basename(path).replace(/\.json$/, ''),
    path,
    title: text('title'),
    question: text('question'),
    scenario: {
      failures: number('failures'),
      resetTimeout: number('resetTimeout'),
      delay: number('delay'),
      requestTimeout: number('requestTimeout'),
      concurrency: number('concurrency'),
      schedule,
      ignoreStatuses: ignore as number[],
      ...(halfOpen ? { halfOpen } : {}),
      ...(slowCall === undefined ? {} : { slowCall }),
      ...(failureRate === undefined ? {} : { failureRate }),
      ...(brokenCallers === undefined ? {} : { brokenCallers }),
      ...(minProcesses === undefined ? {} : { minProcesses }),
    },
  };

  /** `"failureRate": { "ratio": 0.4, "minimumThroughput": 6, "window": 6 }`, each field checked. */
  function rate(value: unknown): FailureRate {
    const form = '{ "ratio": <above 0, at most 1>, "minimumThroughput": <n>, "window": <s> }';
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw bad(`"failureRate" must be an object ${form}, got ${JSON.stringify(value)}`);
    }
    const given = value as Record<string, unknown>;
    for (const key of Object.keys(given)) {
      if (!['ratio', 'minimumThroughput', 'window'].includes(key))
        throw bad(`unknown field "failureRate.${key}"; valid: ratio, minimumThroughput, window`);
    }
    const { ratio, minimumThroughput, window } = given;
    if (typeof ratio !== 'number' || !(ratio > 0 && ratio <= 1))
      throw bad(
        `"failureRate.ratio" must be a number above 0 and at most 1, got ${JSON.stringify(ratio)}`,
      );
    if (
      typeof minimumThroughput !== 'number' ||
      !Number.isInteger(minimumThroughput) ||
      minimumThroughput < 1
    )
      throw bad(
        `"failureRate.minimumThroughput" must be a whole number >= 1, got ${JSON.stringify(minimumThroughput)}`,
      );
    if (typeof window !== 'number' || !(window > 0))
      throw bad(
        `"failureRate.window" must be a number of seconds > 0, got ${JSON.stringify(window)}`,
      );
    return { ratio, minimumThroughput, window };
  }

  /** `"halfOpen": { "calls": 4, "failureShare": 0.25 }`, each field checked. */
  function sampling(value: unknown): HalfOpenSampling {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw bad(
        `"halfOpen" must be an object { "calls": <n>, "failureShare": <share> }, got ${JSON.stringify(value)}`,
      );
    }
    const given = value as Record<string, unknown>;
    for (const key of Object.keys(given)) {
      if (key !== 'calls' && key !== 'failureShare')
        throw bad(`unknown field "halfOpen.${key}"; valid: calls, failureShare`);
    }
    const calls = given['calls'] ?? 1;
    if (typeof calls !== 'number' || !Number.isInteger(calls) || calls < 1) {
      throw bad(`"halfOpen.calls" must be a whole number >= 1, got ${JSON.stringify(calls)}`);
    }
    const failureShare = given['failureShare'] ?? 0;
    if (!isFailureShare(failureShare)) {
      throw bad(
        `"halfOpen.failureShare" must be ${FAILURE_SHARE_FORM}, got ${JSON.stringify(failureShare)}`,
      );
    }
    return { calls, failureShare };
  }
}

/** Why a scenario file could not be read or parsed, in words rather than a system error code. */
function unreadable(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'no such file';
    case 'EISDIR':
      return 'is a folder, not a scenario file (such as scenarios/hang.json)';
    case 'EACCES':
      return 'cannot be read (permission denied)';
    default:
      return (error as Error).message; // JSON.parse's SyntaxError names the position
  }
}
