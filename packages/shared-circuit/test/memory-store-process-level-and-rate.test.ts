import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCircuitOpenError, type SharedCircuit } from '../src/index.ts';
import { fail, heard, MemoryFleet, succeed } from './helpers/memory-fleet.ts';

const RESET_MS = 10_000;

test('with minProcesses 2, a process whose calls fail opens its own circuit, the fleet stays closed, it rejoins after its own trial, and its events say so', async (t) => {
  const fleet = new MemoryFleet(t);
  const options = { name: 'orders', failures: 3, resetTimeoutMs: RESET_MS, minProcesses: 2 };
  const bad = await fleet.circuit({ ...options, processId: 'bad' });
  const good = await fleet.circuit({ ...options, processId: 'good' });
  const events: string[] = [];
  bad.onEvent((event) => {
    if (event.type === 'transition' || event.type === 'process-transition') {
      events.push(`${event.type} ${event.from} -> ${event.to} (fleet ${event.state})`);
    }
  });
  for (let call = 0; call < 5; call += 1) await bad.execute(fail).catch(() => {});
  await heard();
  const rejected = await bad.execute(succeed).catch((error: unknown) => error);
  assert.ok(isCircuitOpenError(rejected));
  assert.equal(rejected.level, 'process');
  assert.equal(good.state, 'closed', 'the fleet stays closed');
  assert.equal(await good.execute(succeed), 'ok');
  fleet.clock.moveOn(RESET_MS);
  assert.equal(await bad.execute(succeed), 'ok', 'its own trial');
  assert.equal(await bad.execute(succeed), 'ok', 'rejoined');
  assert.deepEqual(events, [
    'process-transition closed -> open (fleet closed)',
    'process-transition open -> half-open (fleet closed)',
    'process-transition half-open -> closed (fleet closed)',
  ]);
});

test('with minProcesses 2, failures from two processes open the fleet', async (t) => {
  const fleet = new MemoryFleet(t);
  const options = { name: 'orders', failures: 3, resetTimeoutMs: RESET_MS, minProcesses: 2 };
  const a = await fleet.circuit({ ...options, processId: 'a' });
  const b = await fleet.circuit({ ...options, processId: 'b' });
  await a.execute(fail).catch(() => {});
  await a.execute(fail).catch(() => {});
  await b.execute(fail).catch(() => {});
  await heard();
  assert.equal(a.state, 'open');
  assert.equal(b.state, 'open');
  const rejected = await b.execute(succeed).catch((error: unknown) => error);
  assert.ok(isCircuitOpenError(rejected));
  assert.equal(rejected.level, 'fleet');
});

/** Two processes making 6 calls each, every other one failing: never 3 failures in a row. */
async function alternate(a: SharedCircuit, b: SharedCircuit): Promise<void> {
  for (let call = 0; call < 6; call += 1) {
    await a.execute(call % 2 === 0 ? fail : succeed).catch(() => {});
    await b.execute(call % 2 === 0 ? succeed : fail).catch(() => {});
  }
}

const CONSECUTIVE = { name: 'orders', failures: 3, resetTimeoutMs: RESET_MS };
const RATE = {
  ...CONSECUTIVE,
  failureRatio: 0.4,
  minimumThroughput: 10,
  samplingDurationMs: 2_000,
};

test('failureRatio opens the fleet on a failing share that never shows 3 failures in a row, once both processes sent their counts', async (t) => {
  const fleet = new MemoryFleet(t);
  const [a, b, watcher] = await Promise.all(
    ['a', 'b', 'watcher'].map((processId) => fleet.circuit({ ...RATE, processId })),
  );
  await alternate(a!, b!);
  await a!.dispose(); // sends its counts: 6 calls, under the throughput of 10
  await heard();
  assert.equal(watcher!.state, 'closed');
  await b!.dispose(); // 12 calls in the window, half of them failed
  await heard();
  assert.equal(watcher!.state, 'open');

  const other = new MemoryFleet(t);
  const [c, d] = await other.circuits(2, CONSECUTIVE);
  await alternate(c!, d!);
  await heard();
  assert.equal(c!.state, 'closed', 'the consecutive rule alone never opens on this traffic');
});

test('counts older than the sampling duration on the store clock do not add up', async (t) => {
  const fleet = new MemoryFleet(t);
  const [a, b, watcher] = await Promise.all(
    ['a', 'b', 'watcher'].map((processId) => fleet.circuit({ ...RATE, processId })),
  );
  await alternate(a!, b!);
  await a!.dispose();
  fleet.clock.moveOn(RATE.samplingDurationMs);
  await b!.dispose();
  await heard();
  assert.equal(watcher!.state, 'closed', "a's counts left the window before b's arrived");
});
