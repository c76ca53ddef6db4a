import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CircuitState } from '../breakers/breaker.ts';
import { InputError } from '../input-error.ts';
import { parseSchedule, type Scenario } from '../scenario/scenario.ts';
import type { Outcome } from '../scenario/trace.ts';

/** Where `npm run reference` writes the corpus and the tests read it. */
export const REFERENCE_FOLDER = 'test/fixtures/reference';

/** What the seed's package did on one call, on its controlled clock (scenario seconds). */
export interface ReferenceCall {
  call: number;
  at: number;
  server: string;
  outcome: Outcome;
  /** The package's state right after the call. */
  state: CircuitState;
  /** The call went through while the package was half-open. */
  trial: boolean;
  latency: number;
}

/** One schedule run through the seed's `circuitbreaker` package (scripts/reference.py). */
export interface ReferenceFixture {
  name: string;
  /** Where the schedule came from: the seed, a scenario file, or the seeded generator. */
  source: string;
  reference: { package: string; version: string; python: string };
  parameters: Pick<
    Scenario,
    'failures' | 'resetTimeout' | 'delay' | 'requestTimeout' | 'ignoreStatuses'
  >;
  schedule: string;
  /**
   * The shortest time, in scenario seconds, between a call made while open and the reset timeout's
   * end (calls exactly on it left out): how far a real run's call or a library's timer may slip
   * before a rejection turns into a trial or back. Null when no call was made while open.
   */
  secondsFromReset: number | null;
  calls: ReferenceCall[];
}

const OUTCOMES: readonly string[] = ['success', 'failure', 'rejected', 'ignored'];
const STATES: readonly string[] = ['closed', 'open', 'half-open'];

/** A reference fixture folder or file that cannot be read; the message names it. */
export class FixtureError extends InputError {
  override readonly name = 'FixtureError';
}

/** Every fixture in a folder, sorted by name; a malformed one is a FixtureError naming the file. */
export function loadReferenceFixtures(folder: string = REFERENCE_FOLDER): ReferenceFixture[] {
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.json'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FixtureError(
      `${folder}: ${code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : String(code)}`,
    );
  }
  if (names.length === 0) {
    throw new FixtureError(
      `${folder}: no *.json fixtures in it; \`npm run reference\` writes them`,
    );
  }
  return names.sort().map((name) => loadReferenceFixture(join(folder, name)));
}

export function loadReferenceFixture(path: string): ReferenceFixture {
  const bad = (what: string) => new FixtureError(`fixture ${path}: ${what}`);
  let data: ReferenceFixture;
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as ReferenceFixture;
  } catch (error) {
    throw bad((error as Error).message);
  }
  if (typeof data.name !== 'string' || !Array.isArray(data.calls) || data.calls.length === 0) {
    throw bad('expected "name" and a non-empty "calls" list');
  }
  try {
    parseSchedule(data.schedule);
  } catch (error) {
    throw bad((error as Error).message.replace(/^--schedule: /, 'schedule: '));
  }
  for (const key of ['failures', 'resetTimeout', 'delay', 'requestTimeout'] as const) {
    const value = data.parameters[key];
    if (typeof value !== 'number' || !(value > 0))
      throw bad(`parameters.${key} must be a number > 0, got ${JSON.stringify(value)}`);
  }
  data.calls.forEach((call, index) => {
    if (call.call !== index + 1 || !OUTCOMES.includes(call.outcome) || !STATES.includes(call.state))
      throw bad(`call ${index + 1} is malformed: ${JSON.stringify(call)}`);
  });
  return data;
}

/** The fixture as a lab scenario, one caller, at `speed`. */
export function fixtureScenario(fixture: ReferenceFixture, speed: number): Scenario {
  return {
    ...fixture.parameters,
    schedule: parseSchedule(fixture.schedule),
    speed,
    concurrency: 1,
  };
}
