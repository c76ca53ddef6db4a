import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import type { SharedCircuitOptions } from 'shared-circuit';
import { circuitFleet, type CircuitProcess } from './helpers/circuit-fleet.ts';
import { redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { runScript } from './helpers/run-command.ts';
import { startTestServer } from './helpers/test-server.ts';
import { FLEET_DEADLINE_MS, FLEET_RESET_TIMEOUT_MS, waitUntil } from './helpers/timing.ts';

const PROCESSES = 3;

async function fleetOfThree(t: Parameters<typeof redisUrl>[0], failures = 5) {
  const url = await redisUrl(t);
  const server = await startTestServer(t);
  const namespace = cleanedNamespace(t, url, 'control');
  const options: SharedCircuitOptions = {
    name: 'checkout',
    namespace,
    redisUrl: url,
    failures,
    resetTimeoutMs: FLEET_RESET_TIMEOUT_MS,
    redisTimeoutMs: FLEET_DEADLINE_MS,
    connectTimeoutMs: FLEET_DEADLINE_MS,
  };
  const fleet = await circuitFleet(t, PROCESSES, options, server.url);
  const circuit = (...args: string[]) =>
    runScript('packages/shared-circuit/src/cli.ts', [...args, '--namespace', namespace], {
      env: { REDIS_URL: url },
    });
  return { server, options, fleet, circuit };
}

const total = (fleet: readonly CircuitProcess[], outcome: string) =>
  fleet.reduce((sum, one) => sum + one.count(outcome), 0);

test('npm run circuit -- isolate makes every process reject within the propagation time, a restarted process too, until release', async (t) => {
  const { server, options, fleet, circuit } = await fleetOfThree(t);

  const isolated = await circuit('isolate', 'checkout');
  assert.equal(isolated.code, 0, isolated.stderr);
  assert.match(isolated.stdout, /^isolated "checkout"/);
  const sentAt = performance.now();
  await waitUntil('every process sees the circuit open', () =>
    fleet.every((one) => one.state() === 'open'),
  );
  assert.ok(performance.now() - sentAt <= FLEET_DEADLINE_MS);

  for (const one of fleet) one.send('calls 3');
  await waitUntil('every call settled', () => total(fleet, 'rejected') === PROCESSES * 3);
  assert.equal(server.requests.total, 0, 'no call reached the server');

  // Long past the reset timeout an isolated circuit still grants no trial, and a process started
  // now (as after a restart) reads the isolation from Redis.
  const [late] = await circuitFleet(t, 1, options, server.url);
  assert.ok(late);
  await waitUntil('the new process sees the circuit open', () => late.state() === 'open');
  late.send('calls 3');
  await waitUntil('its calls are rejected', () => late.count('rejected') === 3);
  assert.equal(server.requests.total, 0);

  const status = await circuit('status', 'checkout', '--json');
  assert.equal(status.code, 0, status.stderr);
  const shown = JSON.parse(status.stdout) as { circuit: { state: string; forced: boolean } };
  assert.deepEqual([shown.circuit.state, shown.circuit.forced], ['open', true]);

  const released = await circuit('release', 'checkout');
  assert.equal(released.code, 0, released.stderr);
  late.send('calls 1 ok');
  await waitUntil('the first call after release is a trial that closes it', () =>
    fleet.every((one) => one.state() === 'closed'),
  );
  assert.equal(server.requests.total, 1);
});

test('npm run circuit -- reset closes an open circuit in every process and clears its count', async (t) => {
  const { fleet, circuit } = await fleetOfThree(t, 1);
  const [first] = fleet;
  assert.ok(first);
  first.send('calls 1 fail');
  await waitUntil('every process sees the circuit open', () =>
    fleet.every((one) => one.state() === 'open'),
  );
  const reset = await circuit('reset', 'checkout', '--json');
  assert.equal(reset.code, 0, reset.stderr);
  const shown = JSON.parse(reset.stdout) as { circuit: { state: string; failures: number } };
  assert.deepEqual(shown.circuit, { ...shown.circuit, state: 'closed', failures: 0 });
  await waitUntil('every process sees the circuit closed', () =>
    fleet.every((one) => one.state() === 'closed'),
  );
  const listed = await circuit('list');
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /^checkout +closed +0 +- +no /m);
});

test('npm run circuit refuses an unknown circuit or a bad name with exit 2, and an unreachable Redis with exit 1, in one line each', async (t) => {
  const url = await redisUrl(t);
  const namespace = cleanedNamespace(t, url, 'control');
  const run = (args: string[], redis = url) =>
    runScript('packages/shared-circuit/src/cli.ts', [...args, '--namespace', namespace], {
      env: { REDIS_URL: redis },
    });
  const [unknown, badName, badCommand, unreachable] = await Promise.all([
    run(['isolate', 'nowhere']),
    run(['status', 'two words']),
    run(['open', 'checkout']),
    run(['list'], 'redis://127.0.0.1:1'),
  ]);
  assert.deepEqual(
    [unknown, badName, badCommand, unreachable].map((result) => result.code),
    [2, 2, 2, 1],
  );
  assert.equal(
    unknown.stderr,
    `error: no circuit "nowhere" in namespace "${namespace}" (list shows the circuits there)\n`,
  );
  assert.equal(
    badName.stderr,
    'error: circuit name must be letters, digits, "_", "-", ".", ":", "[" or "]", got "two words"\n',
  );
  assert.equal(
    badCommand.stderr,
    'error: unknown command "open"; valid: list, status, isolate, release, reset\n',
  );
  assert.match(
    unreachable.stderr,
    /^error: Redis at redis:\/\/127\.0\.0\.1:1 did not answer: .+\n$/,
  );
});
