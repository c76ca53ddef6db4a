import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { connectedCircuit, redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { RATE_FLUSH_SLACK_MS } from './helpers/timing.ts';

// samplingDurationMs 2000: counts are sent every 2000 / 8 = 250 ms (the documented flush interval).
const FLUSH_MS = 250;

test('the failure-rate rule opens at most one flush interval after an exact count would, and no call on the closed path waits for Redis', async (t) => {
  const url = await redisUrl(t);
  const circuit = await connectedCircuit(t, {
    name: 'rate-bound',
    namespace: cleanedNamespace(t, url, 'rate-bound'),
    redisUrl: url,
    failures: 1000,
    resetTimeoutMs: 60_000,
    failureRatio: 0.5,
    minimumThroughput: 10,
    samplingDurationMs: 2000,
  });
  let openedAt: number | undefined;
  circuit.onStateChange((state) => state === 'open' && (openedAt ??= performance.now()));
  for (let i = 0; i < 9; i += 1)
    await circuit.execute(() => Promise.reject(new Error('down'))).catch(() => {});
  // The 10th failure meets the rule: an exact count would open the circuit now.
  await circuit.execute(() => Promise.reject(new Error('down'))).catch(() => {});
  const exactAt = performance.now();
  assert.equal(circuit.state, 'closed', 'not yet: the counts are on their way');
  await new Promise((resolve) => setTimeout(resolve, FLUSH_MS + RATE_FLUSH_SLACK_MS * 2));
  assert.ok(openedAt !== undefined, 'opened');
  const late = openedAt - exactAt;
  assert.ok(
    late <= FLUSH_MS + RATE_FLUSH_SLACK_MS,
    `opened ${late.toFixed(0)} ms after an exact count would have`,
  );
});
