import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test as plainTest } from 'node:test';
import { LocalFallback } from '../src/local-fallback.ts';
import { test } from '../../../test/helpers/redis-test.ts';
import {
  dropKeysAfter,
  inspector,
  redisUrl,
  uniqueNamespace,
} from '../../../test/helpers/redis.ts';
import { ScriptsOnRedis } from './helpers/scripts-on-redis.ts';

/**
 * The property test's counterexample (scripts-agree-with-the-policy): two trials at once, one
 * success closes; the other trial fails after that. Its failure was for the half-open spell, not
 * the closed one it arrives in: counted, it reopened a recovered circuit (failures 1).
 */
const SETTINGS = { failures: 1, resetTimeoutMs: 60_000, halfOpenTrials: 2, successThreshold: 1 };

test('a trial that fails after another trial closed the circuit leaves it closed, in Redis', async (t) => {
  const redis = inspector(t, await redisUrl(t));
  const namespace = uniqueNamespace('late-trial-failure');
  dropKeysAfter(t, redis, namespace);
  const scripts = new ScriptsOnRedis(redis, namespace, 'quotes', SETTINGS);
  await scripts.read();
  assert.equal((await scripts.failure('', randomUUID(), '')).state, 'open');
  await scripts.clockMovesOn(SETTINGS.resetTimeoutMs);
  assert.ok((await scripts.trial('slow', 60_000)).granted);
  assert.ok((await scripts.trial('quick', 60_000)).granted);
  assert.equal((await scripts.success('quick')).state, 'closed');
  await scripts.failure('slow', randomUUID(), '');
  const { state, failures } = await scripts.status();
  assert.deepEqual({ state, failures }, { state: 'closed', failures: 0 });
});

plainTest(
  'a trial that fails after another trial closed the circuit leaves it closed, locally',
  async () => {
    const breaker = new LocalFallback({
      circuit: 'quotes',
      level: 'local',
      settings: SETTINGS,
      isFailure: () => true,
      now: () => SETTINGS.resetTimeoutMs,
      openUntil: SETTINGS.resetTimeoutMs, // open, its trials due now
      onStateChange: () => {},
    });
    let failSlow: (error: Error) => void = () => {};
    const slow = breaker.execute(() => new Promise<never>((_, reject) => (failSlow = reject)));
    await breaker.execute(() => Promise.resolve('quick'));
    assert.equal(breaker.state, 'closed');
    failSlow(new Error('down'));
    await assert.rejects(slow);
    assert.equal(breaker.state, 'closed');
  },
);
