import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryStore, SharedCircuit } from 'shared-circuit';
import { sharedBreaker } from '../src/breakers/shared-circuit.ts';

const RESET_MS = 10_000;
const fail = () => Promise.reject(new Error('down'));
const succeed = () => Promise.resolve('ok');

test("the lab's shared circuit shows the state its calls meet: the process's own circuit while shared, the local breaker while Redis is away", async (t) => {
  const store = new MemoryStore();
  const circuit = new SharedCircuit({
    store,
    log: () => {},
    name: 'orders',
    failures: 3,
    resetTimeoutMs: RESET_MS,
    minProcesses: 2,
    processId: 'bad',
  });
  t.after(() => circuit.dispose());
  await circuit.ready();
  const breaker = sharedBreaker(circuit);
  const seen: string[] = [];
  breaker.onStateChange((state) => seen.push(state));
  for (let call = 0; call < 3; call += 1) await circuit.execute(fail).catch(() => {});
  assert.equal(circuit.processState, 'open');
  assert.equal(breaker.state, 'open', "the process's own circuit rejects its calls");
  store.fail();
  assert.equal(circuit.processState, undefined);
  assert.equal(breaker.state, 'closed', 'the local breaker, fresh, lets calls through');
  assert.equal(await circuit.execute(succeed), 'ok');
  assert.deepEqual(seen, ['open', 'closed']);
});
