import fc from 'fast-check';
import { test } from '../../../test/helpers/redis-test.ts';
import {
  dropKeysAfter,
  inspector,
  redisUrl,
  uniqueNamespace,
} from '../../../test/helpers/redis.ts';
import {
  LEASE_MS,
  RESET_TIMEOUT_MS,
  ScriptsAndModel,
  TICK_MS,
  type Command,
} from './helpers/scripts-and-model.ts';

/** A few hundred runs in `npm test` (a few seconds); SHARED_CIRCUIT_PROPERTY_RUNS=5000 for more. */
const RUNS = Number(process.env['SHARED_CIRCUIT_PROPERTY_RUNS'] || 300);

const pick = fc.nat({ max: 7 });
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ type: 'failure' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'late-failure' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'success' as const }) },
  { weight: 3, arbitrary: fc.constant({ type: 'trial' as const }) },
  { weight: 1, arbitrary: pick.map((p) => ({ type: 'trial-again' as const, pick: p })) },
  { weight: 4, arbitrary: pick.map((p) => ({ type: 'trial-success' as const, pick: p })) },
  { weight: 2, arbitrary: pick.map((p) => ({ type: 'trial-failure' as const, pick: p })) },
  { weight: 2, arbitrary: fc.constant({ type: 'resend' as const }) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(TICK_MS, RESET_TIMEOUT_MS, LEASE_MS)
      .map((ms) => ({ type: 'wait' as const, ms })),
  },
);

const settings = fc.record({
  failures: fc.integer({ min: 1, max: 3 }),
  resetTimeoutMs: fc.constant(RESET_TIMEOUT_MS),
  halfOpenTrials: fc.integer({ min: 1, max: 3 }),
  successThreshold: fc.integer({ min: 1, max: 3 }),
});

test('the Lua scripts on a real Redis end every step of any run in the state the policy says', async (t) => {
  const redis = inspector(t, await redisUrl(t));
  const namespace = uniqueNamespace('scripts-agree');
  dropKeysAfter(t, redis, namespace);
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      settings,
      fc.array(command, { minLength: 1, maxLength: 50, size: 'max' }),
      async (circuitSettings, commands) => {
        const pair = new ScriptsAndModel(redis, namespace, `run-${run++}`, circuitSettings);
        try {
          await pair.start();
          for (const next of commands) await pair.step(next);
        } finally {
          await pair.scripts.drop();
        }
      },
    ),
    { numRuns: RUNS },
  );
});
