import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fail, heard, MemoryFleet, succeed } from './helpers/memory-fleet.ts';

const RESET_MS = 10_000;

test('with halfOpenTrials 2 and successThreshold 2, two trials run at once and both successes close the circuit', async (t) => {
  const fleet = new MemoryFleet(t);
  const circuits = await fleet.circuits(3, {
    name: 'orders',
    failures: 1,
    resetTimeoutMs: RESET_MS,
    halfOpenTrials: 2,
    successThreshold: 2,
  });
  await circuits[0]!.execute(fail).catch(() => {});
  await heard();
  fleet.clock.moveOn(RESET_MS);
  const release: (() => void)[] = [];
  const trial = () => new Promise<string>((resolve) => release.push(() => resolve('ok')));
  const calls = circuits.flatMap((circuit) => [circuit.attempt(trial), circuit.attempt(trial)]);
  await heard();
  assert.equal(release.length, 2, 'two trials reach the dependency');
  release[0]!();
  await heard();
  assert.equal(circuits[0]!.state, 'half-open', 'one success of two');
  release[1]!();
  const outcomes = (await Promise.all(calls)).map((result) => result.outcome).sort();
  assert.deepEqual(outcomes, [
    'rejected',
    'rejected',
    'rejected',
    'rejected',
    'success',
    'success',
  ]);
  await heard();
  assert.deepEqual(
    circuits.map((circuit) => circuit.state),
    ['closed', 'closed', 'closed'],
  );
});

test('a failed trial opens the circuit again for a full reset timeout, even after a successful trial', async (t) => {
  const fleet = new MemoryFleet(t);
  const circuit = await fleet.circuit({
    name: 'orders',
    failures: 1,
    resetTimeoutMs: RESET_MS,
    halfOpenTrials: 2,
    successThreshold: 2,
  });
  await circuit.execute(fail).catch(() => {});
  fleet.clock.moveOn(RESET_MS);
  await circuit.execute(succeed);
  assert.equal(circuit.state, 'half-open');
  await circuit.execute(fail).catch(() => {});
  assert.equal(circuit.state, 'open');
  fleet.clock.moveOn(RESET_MS - 1);
  assert.equal((await circuit.attempt(succeed)).outcome, 'rejected');
  fleet.clock.moveOn(1);
  assert.equal((await circuit.attempt(succeed)).outcome, 'success');
});

test('with a backoff the open periods after failed trials follow the schedule on the store clock, and start over once it closes', async (t) => {
  const fleet = new MemoryFleet(t);
  const circuit = await fleet.circuit({
    name: 'orders',
    failures: 1,
    resetTimeoutMs: 100,
    backoff: { factor: 2, maxMs: 800 },
  });
  await circuit.execute(fail).catch(() => {});
  const periods: number[] = [];
  for (let trial = 0; trial < 5; trial += 1) {
    let waited = 0;
    // Move the clock 1 ms at a time until the circuit lets a trial through: the open period.
    while ((await circuit.attempt(fail)).outcome === 'rejected') {
      fleet.clock.moveOn(1);
      waited += 1;
    }
    periods.push(waited);
  }
  assert.deepEqual(periods, [100, 200, 400, 800, 800]);
  fleet.clock.moveOn(800);
  await circuit.execute(succeed); // the trial closes it
  assert.equal(circuit.state, 'closed');
  await circuit.execute(fail).catch(() => {});
  fleet.clock.moveOn(99);
  assert.equal((await circuit.attempt(succeed)).outcome, 'rejected');
  fleet.clock.moveOn(1);
  assert.equal((await circuit.attempt(succeed)).outcome, 'success', 'a fresh reset timeout');
});
