import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryStore, SharedCircuit, isSharedCircuitOptionsError } from '../src/index.ts';
import { fail, heard, MemoryFleet, succeed } from './helpers/memory-fleet.ts';

const RESET_MS = 10_000;

test('a failed memory store sends every circuit to its local breaker with one line each, and restore brings the shared state back', async (t) => {
  const fleet = new MemoryFleet(t);
  const [a, b] = await fleet.circuits(2, { name: 'orders', failures: 2, resetTimeoutMs: RESET_MS });
  await a!.execute(fail).catch(() => {});
  await b!.execute(fail).catch(() => {});
  await heard();
  assert.equal(a!.state, 'open');

  fleet.store.fail('stopped answering');
  assert.equal(a!.mode, 'local');
  assert.equal(a!.state, 'open', 'the local breaker starts from the shared view');
  assert.deepEqual(fleet.logged, [
    'fleet: the memory store stopped answering; circuit "orders" carries on with a local breaker',
    'fleet: the memory store stopped answering; circuit "orders" carries on with a local breaker',
  ]);
  fleet.clock.moveOn(RESET_MS);
  assert.equal(await a!.execute(succeed), 'ok', 'the local trial');
  assert.equal(a!.state, 'closed');

  fleet.store.restore();
  assert.equal(a!.mode, 'shared');
  assert.equal(a!.state, 'open', 'the shared state is open: no trial reached it');
  assert.equal(fleet.logged.length, 4);
  assert.match(
    fleet.logged[3]!,
    /the memory store is back; circuit "orders" uses the shared state again/,
  );
});

test('a circuit made while its memory store is failed starts local', async (t) => {
  const fleet = new MemoryFleet(t);
  fleet.store.fail();
  const circuit = await fleet.circuit({ name: 'orders', failures: 1, resetTimeoutMs: RESET_MS });
  assert.equal(circuit.mode, 'local');
  assert.equal(await circuit.ready(), 'local');
});

test('store must be a MemoryStore, and a MemoryStore clock must be a function', () => {
  assert.throws(
    () =>
      new SharedCircuit({
        name: 'orders',
        failures: 1,
        resetTimeoutMs: RESET_MS,
        store: {} as MemoryStore,
      }),
    (error: unknown) =>
      isSharedCircuitOptionsError(error) && /store must be a MemoryStore, got/.test(error.message),
  );
  assert.throws(
    () => new MemoryStore({ now: 5 as unknown as () => number }),
    /now must be a function, got 5/,
  );
});
