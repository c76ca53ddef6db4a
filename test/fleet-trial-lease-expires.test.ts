import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from './helpers/redis-test.ts';
import { isCircuitOpenError } from 'shared-circuit';
import { circuitKeys } from '../packages/shared-circuit/src/circuit-keys.ts';
import type { SharedCircuitOptions } from 'shared-circuit';
import { fetchGreeting } from '../src/http/fetch-greeting.ts';
import { cleanUp, connectedCircuit, inspector, redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { ROOT } from './helpers/run-command.ts';
import { startTestServer } from './helpers/test-server.ts';
import {
  FLEET_CLOCK_SLACK_MS,
  FLEET_RESET_TIMEOUT_MS,
  FLEET_TRIAL_LEASE_MS,
  waitUntil,
} from './helpers/timing.ts';

/**
 * A process of the fleet that asks for the trial until it gets it, says so on stdout, and then
 * hangs in its trial call, as a process would that is about to die mid-trial.
 */
const HANGING_TRIAL = `
import { SharedCircuit } from 'shared-circuit';
const circuit = new SharedCircuit({ ...JSON.parse(process.env.CIRCUIT_OPTIONS), log: () => {} });
await circuit.ready();
for (;;) {
  try {
    await circuit.execute(() => {
      process.stdout.write('trial\\n');
      return new Promise(() => {});
    });
  } catch {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
`;

test('a process that takes the trial lease and is killed does not wedge the circuit: after the lease TTL another process gets the trial', async (t) => {
  const url = await redisUrl(t);
  const server = await startTestServer(t);
  const namespace = cleanedNamespace(t, url, 'lease');
  const trialLeaseMs = FLEET_TRIAL_LEASE_MS;
  const options: SharedCircuitOptions = {
    name: 'search',
    namespace,
    redisUrl: url,
    failures: 1,
    resetTimeoutMs: FLEET_RESET_TIMEOUT_MS,
    trialLeaseMs,
  };
  const survivor = await connectedCircuit(t, options);
  const redis = inspector(t, url);
  const lease = circuitKeys(namespace, 'search').lease;
  const call = () => survivor.execute(() => fetchGreeting(server.url, { timeoutMs: 2000 }));

  await assert.rejects(survivor.execute(() => Promise.reject(new Error('down'))));
  const doomed = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', HANGING_TRIAL],
    {
      cwd: ROOT,
      env: { ...process.env, CIRCUIT_OPTIONS: JSON.stringify(options) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  cleanUp(t, () => doomed.kill('SIGKILL'));
  let output = '';
  doomed.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  await waitUntil('the doomed process runs the trial', () => output.includes('trial'), 20_000);
  const leaseTakenAt = performance.now();
  assert.equal(await redis.exists(lease), 1, 'it holds the lease');
  doomed.kill('SIGKILL');
  await once(doomed, 'exit');

  await assert.rejects(call(), isCircuitOpenError, 'the lease still holds: no second trial');
  let closedAt = 0;
  await waitUntil('the survivor gets the trial and closes the circuit', async () => {
    try {
      await call();
      closedAt = performance.now();
      return true;
    } catch (error) {
      if (!isCircuitOpenError(error)) throw error;
      return false;
    }
  });
  assert.ok(
    closedAt - leaseTakenAt >= trialLeaseMs - FLEET_CLOCK_SLACK_MS,
    `trial after ${Math.round(closedAt - leaseTakenAt)} ms, lease is ${trialLeaseMs} ms`,
  );
  assert.equal(server.requests.total, 1, "only the survivor's trial reached the server");
  assert.equal(survivor.state, 'closed');
});
