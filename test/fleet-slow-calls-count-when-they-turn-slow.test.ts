import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { isCircuitOpenError, type SharedCircuit } from 'shared-circuit';
import { test } from './helpers/redis-test.ts';
import { connectedCircuit, redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { startTestServer } from './helpers/test-server.ts';
import { SLOW_CALL_OPEN_WITHIN_MS } from './helpers/timing.ts';

const CALLERS = 10;
const REQUEST_TIMEOUT_MS = 5000;

/**
 * 10 callers, each calling again as soon as its call ends, against a dependency that never answers;
 * returns when the circuit opened (ms after the start, or undefined) and the requests that arrived.
 */
async function hangingDependency(t: TestContext, slowCallMs: number | undefined, watchMs: number) {
  const server = await startTestServer(t);
  server.mode = { kind: 'hang' };
  const circuit: SharedCircuit = await connectedCircuit(t, {
    name: 'hanging',
    namespace: cleanedNamespace(t, await redisUrl(t), 'slow-calls'),
    redisUrl: await redisUrl(t),
    failures: 3,
    resetTimeoutMs: 60_000,
    ...(slowCallMs === undefined ? {} : { slowCallMs }),
  });
  const start = performance.now();
  let openedAfter: number | undefined;
  circuit.onStateChange((state) => {
    if (state === 'open') openedAfter ??= performance.now() - start;
  });
  const stop = new AbortController();
  const caller = async () => {
    while (!stop.signal.aborted) {
      const signal = AbortSignal.any([stop.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]);
      const error = await circuit
        .execute(({ signal: callSignal }) => fetch(server.url, { signal: callSignal }), signal)
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      // Rejected at once while open: pace the loop rather than spin.
      if (isCircuitOpenError(error)) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const callers = Array.from({ length: CALLERS }, caller);
  await new Promise((resolve) => setTimeout(resolve, watchMs));
  stop.abort(new Error('test over'));
  await Promise.all(callers);
  return { openedAfter, reached: server.requests.total };
}

test('a dependency that never answers: with slowCallMs 200 the circuit opens within 1 s and at most 13 requests reach it', async (t) => {
  const { openedAfter, reached } = await hangingDependency(t, 200, 1500);
  assert.ok(
    openedAfter !== undefined && openedAfter <= SLOW_CALL_OPEN_WITHIN_MS,
    `opened after ${openedAfter} ms`,
  );
  assert.ok(openedAfter >= 200, `not before the calls turned slow: ${openedAfter} ms`);
  assert.ok(reached <= 13, `${reached} requests reached the hanging dependency`);
});

test('without slowCallMs the same circuit is still closed a second and a half in: it counts a call only when it ends', async (t) => {
  const { openedAfter, reached } = await hangingDependency(t, undefined, 1500);
  assert.equal(openedAfter, undefined);
  assert.equal(reached, CALLERS, 'every caller is stuck in its first call');
});
