import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fetchGreeting, isRequestFailedError } from '../src/http/fetch-greeting.ts';
import { LIBRARIES } from '../src/libraries/registry.ts';
import { renderTimelineHtml } from '../src/report/timeline/page.ts';
import { runScenario } from '../src/scenario/run-scenario.ts';
import { parseSchedule, SEED_SCENARIO } from '../src/scenario/scenario.ts';
import { startTestServer } from './helpers/test-server.ts';
import { INTERRUPT_DEADLINE_MS, SPEED } from './helpers/timing.ts';

test('a request aborted through its signal fails as aborted, not as a timeout or a refusal', async (t) => {
  const server = await startTestServer(t, { mode: { kind: 'hang' } });
  const controller = new AbortController();
  const pending = fetchGreeting(server.url, { timeoutMs: 60_000, signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(
    pending,
    (error) =>
      isRequestFailedError(error) &&
      error.failure.kind === 'aborted' &&
      error.message.endsWith('failed: aborted by the caller'),
  );
});

test('aborting a run cuts the calls in flight short and records them as interrupted', async () => {
  const controller = new AbortController();
  const started = performance.now();
  let abortedAt = 0;
  const trace = await runScenario({
    // Request timeout 50 s: 10 s of real time at SPEED, far longer than the run may take to stop.
    scenario: {
      ...SEED_SCENARIO,
      requestTimeout: 50,
      concurrency: 2,
      schedule: parseSchedule('on:2,hang:5'),
      speed: SPEED,
    },
    libraries: Object.values(LIBRARIES),
    host: '127.0.0.1',
    port: 0,
    signal: controller.signal,
    onEvent: (event) => {
      // Call 3 starts right after the hang phase begins, before any timer can fire.
      if (event.type === 'phase' && event.index === 1) {
        setTimeout(() => {
          abortedAt = performance.now();
          controller.abort();
        }, 150);
      }
    },
  });
  const stopped = performance.now();
  assert.ok(abortedAt > started, 'aborted during the run');
  assert.ok(stopped - abortedAt < INTERRUPT_DEADLINE_MS, `stopped ${stopped - abortedAt} ms after`);
  assert.equal(trace.interrupted, true);
  for (const run of trace.runs) {
    assert.deepEqual(
      run.calls.map((record) => `${record.call}.${record.caller ?? 0} ${record.outcome}`),
      [
        '1.1 success',
        '1.2 success',
        '2.1 success',
        '2.2 success',
        '3.1 interrupted',
        '3.2 interrupted',
      ],
      run.library,
    );
  }
  // The timeline report draws the cut-short calls with a mark of their own, explained in the legend.
  const html = renderTimelineHtml(trace);
  assert.equal(html.match(/<g class="call interrupted/g)?.length, 6);
  assert.ok(html.includes('cut short: the run was interrupted'));
});
