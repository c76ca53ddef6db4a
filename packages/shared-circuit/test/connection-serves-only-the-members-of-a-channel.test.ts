import assert from 'node:assert/strict';
import { circuitKeys } from '../src/circuit-keys.ts';
import { acquireConnection, type ConnectionMember } from '../src/redis-connection.ts';
import type { Snapshot } from '../src/snapshot.ts';
import { test } from '../../../test/helpers/redis-test.ts';
import {
  dropKeysAfter,
  inspector,
  redisUrl,
  uniqueNamespace,
} from '../../../test/helpers/redis.ts';
import { FLEET_DEADLINE_MS, waitUntil } from '../../../test/helpers/timing.ts';

/** A circuit as the connection sees it, counting how often the connection looks at its keys. */
function member(namespace: string, name: string) {
  const keys = circuitKeys(namespace, name);
  const seen = { up: false, changes: [] as Snapshot[], keyReads: 0 };
  const one: ConnectionMember = {
    get keys() {
      seen.keyReads += 1;
      return keys;
    },
    resetTimeoutMs: 60_000,
    halfOpenTrials: 1,
    successThreshold: 1,
    up: () => (seen.up = true),
    down: () => {},
    change: (snapshot) => seen.changes.push(snapshot),
  };
  return { one, seen, channel: keys.channel };
}

test("a message, and a member's removal, cost only the members of its channel: the others are not looked at", async (t) => {
  const url = await redisUrl(t);
  const redis = inspector(t, url);
  const namespace = uniqueNamespace('by-channel');
  dropKeysAfter(t, redis, namespace);
  const connection = acquireConnection({
    url,
    redisTimeoutMs: FLEET_DEADLINE_MS,
    connectTimeoutMs: FLEET_DEADLINE_MS,
    client: undefined,
  });
  const heard = member(namespace, 'heard');
  const others = ['b', 'c', 'd'].map((name) => member(namespace, name));
  const all = [heard, ...others];
  for (const { one } of all) connection.add(one);
  t.after(async () => {
    for (const { one } of all) await connection.remove(one);
  });
  await waitUntil('every member is up', () => all.every(({ seen }) => seen.up));
  for (const { seen } of others) seen.keyReads = 0;

  await redis.publish(heard.channel, '{"state":"closed","version":"1","failures":0,"spell":"1"}');
  await waitUntil('the message reached its member', () => heard.seen.changes.length === 1);
  await connection.remove(heard.one);
  assert.deepEqual(
    others.map(({ seen }) => seen.keyReads),
    [0, 0, 0],
  );
  assert.deepEqual(
    others.map(({ seen }) => seen.changes.length),
    [0, 0, 0],
  );
});
