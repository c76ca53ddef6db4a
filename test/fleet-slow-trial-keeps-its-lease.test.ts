import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { isCircuitOpenError } from 'shared-circuit';
import { connectedCircuit, redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { FLEET_CLOCK_SLACK_MS, FLEET_RESET_TIMEOUT_MS, waitUntil } from './helpers/timing.ts';

/** The trial runs this many leases long: without renewal, others would start trials meanwhile. */
const LEASES = 4;

test('a trial slower than its lease stays the only trial in the fleet, and its success closes the circuit', async (t) => {
  const url = await redisUrl(t);
  const options = {
    name: 'reports',
    namespace: cleanedNamespace(t, url, 'slow-trial'),
    redisUrl: url,
    failures: 1,
    resetTimeoutMs: FLEET_RESET_TIMEOUT_MS, // the lease defaults to it
  };
  const [holder, ...others] = await Promise.all(
    Array.from({ length: 3 }, () => connectedCircuit(t, options)),
  );
  await assert.rejects(holder!.execute(() => Promise.reject(new Error('down'))));
  await waitUntil('every client sees the circuit open', () =>
    [holder!, ...others].every((client) => client.state === 'open'),
  );
  await sleep(FLEET_RESET_TIMEOUT_MS + FLEET_CLOCK_SLACK_MS);

  let running = 0;
  let mostAtOnce = 0;
  let trials = 0;
  const slowRecovery = async (ms: number) => {
    trials += 1;
    running += 1;
    mostAtOnce = Math.max(mostAtOnce, running);
    await sleep(ms);
    running -= 1;
    return 'recovered';
  };
  const trial = holder!.execute(() => slowRecovery(LEASES * FLEET_RESET_TIMEOUT_MS));
  let trialDone = false;
  void trial.finally(() => (trialDone = true));
  await waitUntil('the trial started', () => trials === 1);

  // Meanwhile the other processes keep calling: every call is refused while the trial runs.
  let refused = 0;
  while (!trialDone) {
    for (const client of others) {
      try {
        await client.execute(() => slowRecovery(0));
      } catch (error) {
        if (!isCircuitOpenError(error)) throw error;
        refused += 1;
      }
    }
    await sleep(20);
  }
  assert.equal(await trial, 'recovered');
  assert.equal(mostAtOnce, 1, 'one trial in flight at a time');
  assert.ok(refused > 0, 'the others did call meanwhile');
  await waitUntil('every client sees the circuit closed', () =>
    [holder!, ...others].every((client) => client.state === 'closed'),
  );
});
