import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIBRARIES } from '../src/libraries/registry.ts';
import { tableHeader, tableRow } from '../src/report/terminal/side-by-side.ts';
import { runScenario, type RunEvent } from '../src/scenario/run-scenario.ts';
import { parseSchedule, SEED_SCENARIO, type Scenario } from '../src/scenario/scenario.ts';
import { SPEED } from './helpers/timing.ts';

const NAMES = Object.values(LIBRARIES).map((library) => library.name);
const plain = (_state: string, text: string) => text;

/** Runs `scenario` for every library and returns the live table the lab would print. */
async function table(scenario: Scenario): Promise<string[]> {
  const rows: string[] = [];
  await runScenario({
    scenario,
    libraries: Object.values(LIBRARIES),
    host: '127.0.0.1',
    port: 0,
    onEvent: (event: RunEvent) => {
      if (event.type === 'call') rows.push(tableRow(event, NAMES, plain, scenario.concurrency));
    },
  });
  return [...tableHeader(NAMES, scenario.concurrency).split('\n'), ...rows];
}

test("10 callers failing at once: the row shows each caller's outcome and the state after the last, open", async () => {
  // Threshold 3, 10 callers at once on a closed circuit: all 10 are let through and fail, and
  // the circuit is open once they are done (a row once said "10F closed" here).
  const lines = await table({
    ...SEED_SCENARIO,
    concurrency: 10,
    schedule: parseSchedule('off:2'),
    speed: SPEED,
  });
  assert.match(lines[1] ?? '', /^\s+(callers\s+state\s+next trial\s*){3}$/);
  assert.equal(
    lines[2],
    'callers: one letter per caller, in caller order: S success, F failure, R rejected, I ignored, X interrupted; ' +
      'state: after the last caller; next trial: seconds till the circuit lets a trial call through, blank while closed',
  );
  assert.match(lines[3] ?? '', /^\s+1\s+0\.0\s+off\s+(FFFFFFFFFF\s+open\s+\d\.\d\s*){3}$/);
  assert.match(lines[4] ?? '', /^\s+2\s+[\d.]+\s+off\s+(RRRRRRRRRR\s+open\s+\d\.\d\s*){3}$/);
});

test('past 20 callers a lane counts the outcomes instead', async () => {
  const lines = await table({
    ...SEED_SCENARIO,
    concurrency: 25,
    schedule: parseSchedule('off:1'),
    speed: SPEED,
  });
  assert.match(lines[2] ?? '', /^callers: how many got each outcome: S success, F failure/);
  assert.match(lines[3] ?? '', /^\s+1\s+0\.0\s+off\s+(25F\s+open\s+\d\.\d\s*){3}$/);
});
