import assert from 'node:assert/strict';
import { isCircuitOpenError } from 'shared-circuit';
import { test } from '../../../test/helpers/redis-test.ts';
import { connectedCircuit, redisUrl, uniqueNamespace } from '../../../test/helpers/redis.ts';

test('every rejection of one open period is the same frozen, stackless CircuitOpenError whose retryInMs counts down; attempt() returns it', async (t) => {
  let clock = 1_000;
  const circuit = await connectedCircuit(t, {
    name: 'cheap',
    namespace: uniqueNamespace('cheap-rejection'),
    redisUrl: await redisUrl(t),
    failures: 1,
    resetTimeoutMs: 60_000,
    now: () => clock,
  });
  await circuit.execute(() => Promise.reject(new Error('down'))).catch(() => {});
  assert.equal(circuit.state, 'open');

  const first = await circuit
    .execute(() => Promise.resolve('never'))
    .catch((error: unknown) => error);
  clock += 10_000;
  const second = await circuit
    .execute(() => Promise.resolve('never'))
    .catch((error: unknown) => error);
  assert.ok(isCircuitOpenError(first));
  assert.equal(second, first, 'one error object for the open period');
  assert.ok(Object.isFrozen(first));
  assert.equal(first.name, 'CircuitOpenError');
  assert.equal(first.level, 'fleet');
  assert.equal(first.circuit, 'cheap');
  assert.equal(first.stack, `CircuitOpenError: ${first.message}`, 'no stack frames captured');
  const left = first.retryInMs ?? Number.NaN;
  assert.ok(
    left > 49_000 && left <= 50_000,
    `retryInMs read now, 10 s after the first rejection: ${left}`,
  );

  const outcome = await circuit.attempt(() => Promise.resolve('never'));
  assert.deepEqual(outcome, { outcome: 'rejected', error: first });
  assert.equal(circuit.state, 'open');
});

test("attempt() resolves to the value or the action's error, never rejects", async (t) => {
  const circuit = await connectedCircuit(t, {
    name: 'attempt',
    namespace: uniqueNamespace('attempt'),
    redisUrl: await redisUrl(t),
    failures: 2,
    resetTimeoutMs: 60_000,
  });
  assert.deepEqual(await circuit.attempt(() => Promise.resolve(42)), {
    outcome: 'success',
    value: 42,
  });
  const failed = await circuit.attempt(() => Promise.reject(new Error('down')));
  assert.equal(failed.outcome, 'failure');
  assert.match(String(failed.outcome === 'failure' && failed.error), /down/);
});
