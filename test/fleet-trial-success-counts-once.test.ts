import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TestContext } from 'node:test';
import { circuitKeys } from '../packages/shared-circuit/src/circuit-keys.ts';
import { SCRIPTS, type TransitionScript } from '../packages/shared-circuit/src/redis-connection.ts';
import { parseSnapshot, type TrialReply } from '../packages/shared-circuit/src/snapshot.ts';
import { test } from './helpers/redis-test.ts';
import { dropKeysAfter, inspector, redisUrl, uniqueNamespace } from './helpers/redis.ts';
import { waitUntil } from './helpers/timing.ts';

/** Two trial successes close the circuit; one trial at a time; the reset timeout as short as can be. */
const SETTINGS = { resetTimeoutMs: 1, halfOpenTrials: 1, successThreshold: 2 };
const LONG_LEASE_MS = 60_000;

/** The circuit's scripts on a real Redis, called the way its processes call them (and resend them). */
async function scripts(t: TestContext) {
  const namespace = uniqueNamespace('trial-counts-once');
  const redis = inspector(t, await redisUrl(t));
  dropKeysAfter(t, redis, namespace);
  const keys = circuitKeys(namespace, 'quotes');
  const run = async (script: TransitionScript, ...args: (string | number)[]) =>
    parseSnapshot(
      String(
        await SCRIPTS[script].run(
          redis,
          [keys.state, keys.lease, keys.probe],
          [
            keys.channel,
            SETTINGS.resetTimeoutMs,
            SETTINGS.halfOpenTrials,
            SETTINGS.successThreshold,
            ...args,
          ],
        ),
      ),
    );
  return {
    open: () => run('failure', 1, '', randomUUID()),
    trial: (token: string, leaseMs: number) => run('trial', leaseMs, token),
    success: (token: string) => run('success', token),
    /** Asks for a trial until Redis grants it (the reset timeout, or another lease, runs out). */
    async granted(token: string, leaseMs: number): Promise<TrialReply> {
      let reply: TrialReply | undefined;
      await waitUntil(`trial ${token} is granted`, async () => {
        reply = await this.trial(token, leaseMs);
        return reply.granted;
      });
      return reply!;
    },
  };
}

test('a trial success sent again after its reply was lost counts once', async (t) => {
  const circuit = await scripts(t);
  assert.equal((await circuit.open()).state, 'open');
  await circuit.granted('a', LONG_LEASE_MS);
  assert.equal((await circuit.success('a')).state, 'half-open', 'one success of two');
  assert.equal((await circuit.success('a')).state, 'half-open', 'the resend counts no more');
  await circuit.granted('b', LONG_LEASE_MS);
  assert.equal((await circuit.success('b')).state, 'closed', 'a second trial closes it');
});

test('the late success of a lease that ran out and was taken by another trial does not count', async (t) => {
  const circuit = await scripts(t);
  await circuit.open();
  await circuit.granted('slow', 1);
  await circuit.granted('next', LONG_LEASE_MS); // once the slow trial's lease has run out
  assert.equal((await circuit.success('next')).state, 'half-open', 'one success of two');
  assert.equal((await circuit.success('slow')).state, 'half-open', 'the replaced lease counts not');
});

test('the late success of a lease that ran out with nobody in its place still counts', async (t) => {
  const circuit = await scripts(t);
  await circuit.open();
  await circuit.granted('first', LONG_LEASE_MS);
  await circuit.success('first');
  await circuit.granted('slow', 1);
  const ranOut = Date.now() + 1;
  await waitUntil('the slow lease has run out', () => Date.now() > ranOut);
  assert.equal((await circuit.success('slow')).state, 'closed');
});
