import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitUntil } from '../../../test/helpers/timing.ts';
import { MemoryStore, SharedCircuit } from '../src/index.ts';

const SLOW_MS = 40;

/** A call that hangs until the test ends it. */
function hanging(): { call: () => Promise<string>; end: () => void } {
  let end = () => {};
  const ended = new Promise<string>((resolve) => (end = () => resolve('late')));
  return { call: () => ended, end };
}

test('while Redis is away the local breaker counts a call as failed once it turns slow, and its late end changes nothing', async (t) => {
  const store = new MemoryStore();
  store.fail();
  const circuit = new SharedCircuit({
    name: 'orders',
    failures: 2,
    resetTimeoutMs: 60_000,
    slowCallMs: SLOW_MS,
    store,
    log: () => {},
  });
  t.after(() => circuit.dispose());
  assert.equal(await circuit.ready(), 'local');
  const calls = [hanging(), hanging()];
  const running = calls.map(({ call }) => circuit.execute(call));
  await waitUntil('two slow calls open the local breaker', () => circuit.state === 'open');
  for (const { end } of calls) end();
  assert.deepEqual(await Promise.all(running), ['late', 'late'], 'the calls themselves run on');
  assert.equal(circuit.state, 'open', 'their ends, successes, change nothing');
  const rejected = await circuit.attempt(() => 'never');
  assert.equal(rejected.outcome, 'rejected');
  assert.equal(rejected.outcome === 'rejected' && rejected.error.level, 'local');
});

test("with minProcesses 2 a process's own circuit counts slow calls too", async (t) => {
  const store = new MemoryStore();
  const options = {
    name: 'orders',
    failures: 2,
    resetTimeoutMs: 60_000,
    slowCallMs: SLOW_MS,
    minProcesses: 2,
    store,
  };
  const bad = new SharedCircuit({ ...options, processId: 'bad' });
  const good = new SharedCircuit({ ...options, processId: 'good' });
  t.after(() => Promise.all([bad.dispose(), good.dispose()]));
  await Promise.all([bad.ready(), good.ready()]);
  const calls = [hanging(), hanging()];
  const running = calls.map(({ call }) => bad.execute(call));
  await waitUntil('the process level opens', () => bad.processState === 'open');
  const rejected = await bad.attempt(() => 'never');
  assert.equal(rejected.outcome === 'rejected' && rejected.error.level, 'process');
  assert.equal(good.state, 'closed', 'one process: the fleet stays closed');
  for (const { end } of calls) end();
  await Promise.all(running);
});
