import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { isCircuitOpenError } from 'shared-circuit';
import { fetchGreeting } from '../src/http/fetch-greeting.ts';
import { connectedCircuit, redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { startTestServer } from './helpers/test-server.ts';
import { FLEET_CLOCK_SLACK_MS, FLEET_RESET_TIMEOUT_MS, waitUntil } from './helpers/timing.ts';

const CLIENTS = 4;
const CALLERS_PER_CLIENT = 5;

test('when the reset timeout passes, exactly one of 20 concurrent callers across 4 clients reaches the server', async (t) => {
  const url = await redisUrl(t);
  const server = await startTestServer(t);
  const options = {
    name: 'inventory',
    namespace: cleanedNamespace(t, url, 'one-trial'),
    redisUrl: url,
    failures: 1,
    resetTimeoutMs: FLEET_RESET_TIMEOUT_MS,
  };
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, () => connectedCircuit(t, options)),
  );
  await assert.rejects(clients[0]!.execute(() => Promise.reject(new Error('down'))));
  await waitUntil('every client sees the circuit open', () =>
    clients.every((client) => client.state === 'open'),
  );
  await sleep(FLEET_RESET_TIMEOUT_MS + FLEET_CLOCK_SLACK_MS);

  // The trial holds its answer until every other caller has settled, so a quick trial that
  // closes the circuit cannot let a late caller through as an ordinary call.
  let releaseTrial = () => {};
  const othersSettled = new Promise<void>((resolve) => (releaseTrial = resolve));
  const calls = clients.flatMap((client) =>
    Array.from({ length: CALLERS_PER_CLIENT }, () =>
      client.execute(async () => {
        const body = await fetchGreeting(server.url, { timeoutMs: 2000 });
        await othersSettled;
        return body;
      }),
    ),
  );
  let settled = 0;
  for (const call of calls) {
    void call.then(
      () => {},
      () => {
        settled += 1;
        if (settled === calls.length - 1) releaseTrial();
      },
    );
  }
  const results = await Promise.allSettled(calls);

  const fulfilled = results.filter((result) => result.status === 'fulfilled');
  const rejected = results.filter((result) => result.status === 'rejected');
  assert.equal(fulfilled.length, 1, 'one trial call');
  assert.equal(rejected.length, CLIENTS * CALLERS_PER_CLIENT - 1);
  for (const result of rejected)
    assert.ok(isCircuitOpenError(result.reason), String(result.reason));
  assert.equal(server.requests.total, 1, 'one request reached the server');
  await waitUntil('every client sees the circuit closed after the trial', () =>
    clients.every((client) => client.state === 'closed'),
  );
});
