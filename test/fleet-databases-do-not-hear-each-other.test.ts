import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectedCircuit, redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { waitUntil } from './helpers/timing.ts';

/** After the fleet on /1 heard its change, how long the fleet on /2 has to hear it wrongly. */
const CROSS_TALK_MS = 200;

function onDatabase(url: string, db: number): string {
  const parsed = new URL(url);
  parsed.pathname = `/${db}`;
  return parsed.href;
}

test("fleets on /1 and /2 of one Redis never hear each other's transitions", async (t) => {
  const url = await redisUrl(t);
  const namespace = cleanedNamespace(t, [onDatabase(url, 1), onDatabase(url, 2)], 'db');
  const options = { name: 'checkout', namespace, failures: 1, resetTimeoutMs: 60_000 };
  const staging = await connectedCircuit(t, { ...options, redisUrl: onDatabase(url, 1) });
  const stagingPeer = await connectedCircuit(t, {
    ...options,
    redisUrl: onDatabase(url, 1),
    connectTimeoutMs: 4000, // a connection of its own, as another process would have
  });
  const production = await connectedCircuit(t, { ...options, redisUrl: onDatabase(url, 2) });

  await assert.rejects(staging.execute(() => Promise.reject(new Error('staging down'))));
  await waitUntil('the other staging process hears of it', () => stagingPeer.state === 'open');
  await sleep(CROSS_TALK_MS);
  assert.equal(production.state, 'closed', "staging's opening did not open production");
  assert.equal(await production.execute(() => Promise.resolve('served')), 'served');
});
