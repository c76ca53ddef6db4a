import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { isCircuitOpenError } from 'shared-circuit';
import { SharedCircuit } from 'shared-circuit';
import type { SharedCircuitOptions } from 'shared-circuit';
import { circuitFleet, type CircuitProcess } from './helpers/circuit-fleet.ts';
import { connectedCircuit, redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { startTestServer } from './helpers/test-server.ts';
import {
  FLEET_CLOCK_SLACK_MS,
  FLEET_DEADLINE_MS,
  FLEET_RESET_TIMEOUT_MS,
  waitUntil,
} from './helpers/timing.ts';

const PROCESSES = 3;
const CALLERS_PER_PROCESS = 5;

async function openFleet(t: Parameters<typeof redisUrl>[0], policy: Partial<SharedCircuitOptions>) {
  const url = await redisUrl(t);
  const server = await startTestServer(t);
  const options: SharedCircuitOptions = {
    name: 'quotes',
    namespace: cleanedNamespace(t, url, 'half-open'),
    redisUrl: url,
    failures: 1,
    resetTimeoutMs: FLEET_RESET_TIMEOUT_MS,
    redisTimeoutMs: FLEET_DEADLINE_MS,
    connectTimeoutMs: FLEET_DEADLINE_MS,
    ...policy,
  };
  const opener = await connectedCircuit(t, options);
  await assert.rejects(opener.execute(() => Promise.reject(new Error('down'))));
  const fleet = await circuitFleet(t, PROCESSES, options, server.url);
  await waitUntil('every process sees the circuit open', () =>
    fleet.every((one) => one.state() === 'open'),
  );
  await sleep(FLEET_RESET_TIMEOUT_MS + FLEET_CLOCK_SLACK_MS);
  return { server, opener, fleet };
}

const total = (fleet: readonly CircuitProcess[], outcome: string) =>
  fleet.reduce((sum, one) => sum + one.count(outcome), 0);

test('with halfOpenTrials 2, exactly 2 of 15 concurrent callers in 3 processes reach the dependency, and with successThreshold 2 both successes close the circuit', async (t) => {
  const { server, opener, fleet } = await openFleet(t, { halfOpenTrials: 2, successThreshold: 2 });
  for (const one of fleet) one.send(`calls ${CALLERS_PER_PROCESS}`);
  const callers = PROCESSES * CALLERS_PER_PROCESS;
  // The trials hold their answers, so every caller is either in a trial or rejected.
  await waitUntil('every caller is in a trial or rejected', () => {
    return total(fleet, 'started') + total(fleet, 'rejected') === callers;
  });
  assert.equal(total(fleet, 'started'), 2, 'two trial calls in the fleet');
  assert.equal(total(fleet, 'rejected'), callers - 2);
  await waitUntil('both trials reached the server', () => server.requests.total === 2);

  for (const one of fleet) one.send('release');
  await waitUntil('both trials succeeded', () => total(fleet, 'ok') === 2);
  await waitUntil('every process sees the circuit closed', () =>
    fleet.every((one) => one.state() === 'closed'),
  );
  await waitUntil('the opener too', () => opener.state === 'closed');
  assert.equal(server.requests.total, 2, 'nothing else reached the server');
});

test('one failed trial opens the circuit again for a full reset timeout, even after a successful trial', async (t) => {
  const { server, opener, fleet } = await openFleet(t, { halfOpenTrials: 2, successThreshold: 2 });
  const [first, second] = fleet as [CircuitProcess, CircuitProcess, ...CircuitProcess[]];
  first.send('calls 1');
  second.send('calls 1');
  await waitUntil('two trials run', () => total(fleet, 'started') === 2);
  first.send('release');
  await waitUntil('the first trial succeeded', () => first.count('ok') === 1);
  assert.equal(opener.state, 'half-open', 'one success of two keeps it half-open');

  second.send('fail');
  await waitUntil('the second trial failed', () => second.count('failed') === 1);
  const reopenedAt = performance.now();
  await waitUntil('every process sees the circuit open again', () =>
    fleet.every((one) => one.state() === 'open'),
  );
  await waitUntil('the opener too', () => opener.state === 'open');
  const during = await opener
    .execute(() => Promise.resolve('called'))
    .catch((error: unknown) => error);
  if (performance.now() - reopenedAt < FLEET_RESET_TIMEOUT_MS - FLEET_CLOCK_SLACK_MS) {
    assert.ok(isCircuitOpenError(during), 'rejected within the reset timeout');
  }
  assert.equal(server.requests.total, 2, 'only the two trials reached the server');
});

test('a half-open policy of 0 trials or a fractional threshold is refused before anything connects', () => {
  const options = { name: 'quotes', failures: 1, resetTimeoutMs: 1000 };
  assert.throws(
    () => new SharedCircuit({ ...options, halfOpenTrials: 0 }),
    /^SharedCircuitOptionsError: halfOpenTrials must be a whole number >= 1, got 0$/,
  );
  assert.throws(
    () => new SharedCircuit({ ...options, successThreshold: 1.5 }),
    /^SharedCircuitOptionsError: successThreshold must be a whole number >= 1, got 1.5$/,
  );
});
