import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCircuitOpenError } from '../src/index.ts';
import { fail, heard, MemoryFleet, succeed } from './helpers/memory-fleet.ts';

const RESET_MS = 10_000;

test('failures from three circuits on one memory store add up and open all three at the threshold', async (t) => {
  const fleet = new MemoryFleet(t);
  const circuits = await fleet.circuits(3, {
    name: 'orders',
    failures: 3,
    resetTimeoutMs: RESET_MS,
  });
  for (const circuit of circuits) await circuit.execute(fail).catch(() => {});
  await heard();
  assert.deepEqual(
    circuits.map((circuit) => circuit.state),
    ['open', 'open', 'open'],
  );
  const rejected = await circuits[0]!.execute(succeed).catch((error: unknown) => error);
  assert.ok(isCircuitOpenError(rejected));
  assert.equal(rejected.retryInMs, RESET_MS, 'the store clock has not moved');
});

test('after the reset timeout on the store clock, exactly one of 20 concurrent callers across 4 circuits runs, and its success closes them all', async (t) => {
  const fleet = new MemoryFleet(t);
  const circuits = await fleet.circuits(4, {
    name: 'orders',
    failures: 1,
    resetTimeoutMs: RESET_MS,
  });
  await circuits[0]!.execute(fail).catch(() => {});
  await heard();
  fleet.clock.moveOn(RESET_MS - 1);
  const early = await circuits[1]!.attempt(succeed);
  assert.equal(early.outcome, 'rejected', '1 ms before the reset timeout');
  fleet.clock.moveOn(1);

  let ran = 0;
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const calls = circuits.flatMap((circuit) =>
    Array.from({ length: 5 }, () =>
      circuit.attempt(async () => {
        ran += 1;
        await held; // the trial answers once every other caller has been refused
        return 'ok';
      }),
    ),
  );
  await heard();
  release();
  const outcomes = (await Promise.all(calls)).map((result) => result.outcome);
  assert.equal(ran, 1, 'one trial for the fleet');
  assert.equal(outcomes.filter((outcome) => outcome === 'success').length, 1);
  assert.equal(outcomes.filter((outcome) => outcome === 'rejected').length, 19);
  await heard();
  assert.deepEqual(
    circuits.map((circuit) => circuit.state),
    ['closed', 'closed', 'closed', 'closed'],
  );
});

test('circuits of another name, or on another memory store, do not share the state', async (t) => {
  const fleet = new MemoryFleet(t);
  const other = new MemoryFleet(t);
  const orders = await fleet.circuit({ name: 'orders', failures: 1, resetTimeoutMs: RESET_MS });
  const stock = await fleet.circuit({ name: 'stock', failures: 1, resetTimeoutMs: RESET_MS });
  const elsewhere = await other.circuit({ name: 'orders', failures: 1, resetTimeoutMs: RESET_MS });
  await orders.execute(fail).catch(() => {});
  await heard();
  assert.equal(orders.state, 'open');
  assert.equal(stock.state, 'closed');
  assert.equal(elsewhere.state, 'closed');
});

test('a success between failures resets the count; a failure of an earlier closed spell, sent late, is not counted', async (t) => {
  const fleet = new MemoryFleet(t);
  const [a, b] = await fleet.circuits(2, { name: 'orders', failures: 2, resetTimeoutMs: RESET_MS });
  await a!.execute(fail).catch(() => {});
  await heard();
  await b!.execute(succeed);
  await heard();
  await a!.execute(fail).catch(() => {});
  await heard();
  assert.equal(a!.state, 'closed', 'the success in between reset the count');

  // A call that starts now and fails only after the fleet opened and closed again.
  let failLate = () => {};
  const late = a!.execute(
    () => new Promise((_, reject) => (failLate = () => reject(new Error('late')))),
  );
  await b!.execute(fail).catch(() => {});
  await heard();
  assert.equal(b!.state, 'open');
  fleet.clock.moveOn(RESET_MS);
  await b!.execute(succeed); // the trial closes it: a new closed spell
  await heard();
  await b!.execute(fail).catch(() => {}); // 1 of 2 in the new spell
  failLate();
  await late.catch(() => {});
  await heard();
  assert.equal(a!.state, 'closed', 'the late failure does not make it 2');
});

test('an opening ahead of the store clock (the clock set back) keeps the circuit open one reset timeout at most', async (t) => {
  const fleet = new MemoryFleet(t);
  const circuit = await fleet.circuit({ name: 'orders', failures: 1, resetTimeoutMs: RESET_MS });
  fleet.clock.moveOn(50_000);
  await circuit.execute(fail).catch(() => {});
  fleet.clock.ms -= 50_000; // the clock steps back past the opening
  const other = await fleet.circuit({ name: 'orders', failures: 1, resetTimeoutMs: RESET_MS });
  const rejected = await other.attempt(succeed);
  assert.equal(rejected.outcome, 'rejected');
  assert.equal(
    rejected.outcome === 'rejected' && rejected.error.retryInMs,
    RESET_MS,
    'one reset timeout from now, not 50 s more',
  );
});

test('a log that throws in one circuit does not keep the others on the store from hearing of an outage', async (t) => {
  const fleet = new MemoryFleet(t);
  const loud = await fleet.circuit({
    name: 'orders',
    failures: 1,
    resetTimeoutMs: RESET_MS,
    log: () => {
      throw new Error('the log is broken');
    },
  });
  const quiet = await fleet.circuit({ name: 'orders', failures: 1, resetTimeoutMs: RESET_MS });
  assert.throws(() => fleet.store.fail(), /the log is broken/);
  assert.equal(loud.mode, 'local');
  assert.equal(quiet.mode, 'local', 'told although the first one threw');
});
