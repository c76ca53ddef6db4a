import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { isCircuitOpenError } from 'shared-circuit';
import type { SharedCircuitEvent } from 'shared-circuit';
import { connectedCircuit, privateRedis, redisUrl, uniqueNamespace } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { FLEET_CLOCK_SLACK_MS, FLEET_RESET_TIMEOUT_MS, waitUntil } from './helpers/timing.ts';

/** An event as a short line, to compare whole sequences. */
function line(event: SharedCircuitEvent): string {
  switch (event.type) {
    case 'transition':
      return `transition ${event.from} -> ${event.to}`;
    case 'process-transition':
      return `process ${event.from} -> ${event.to}`;
    case 'call':
      return `call ${event.outcome}${event.trial ? ' (trial)' : ''}`;
    case 'fallback':
      return `fallback to ${event.to}`;
    case 'rejected':
    case 'trial':
      return event.type;
  }
}

test('a shared circuit reports its calls, the failures that open it, a rejection, the trial and the close as typed events', async (t) => {
  const url = await redisUrl(t);
  const circuit = await connectedCircuit(t, {
    name: 'payments',
    namespace: cleanedNamespace(t, url, 'events'),
    redisUrl: url,
    failures: 2,
    resetTimeoutMs: FLEET_RESET_TIMEOUT_MS,
    isFailure: (error) => !(error instanceof RangeError),
  });
  const events: SharedCircuitEvent[] = [];
  circuit.onEvent((event) => events.push(event));
  const fail = () => circuit.execute(() => Promise.reject(new Error('down')));

  await circuit.execute(() => Promise.resolve('ok'));
  await assert.rejects(circuit.execute(() => Promise.reject(new RangeError('not a failure'))));
  await assert.rejects(fail(), /down/);
  await assert.rejects(fail(), /down/);
  await assert.rejects(fail(), isCircuitOpenError);
  await sleep(FLEET_RESET_TIMEOUT_MS + FLEET_CLOCK_SLACK_MS);
  await circuit.execute(() => Promise.resolve('ok'));
  await waitUntil('the close is reported', () => circuit.state === 'closed');

  assert.deepEqual(events.map(line), [
    'call success',
    'call ignored',
    'call failure',
    'call failure',
    'transition closed -> open',
    'rejected',
    'transition open -> half-open',
    'trial',
    'call success (trial)',
    'transition half-open -> closed',
  ]);
  for (const event of events) {
    assert.equal(event.circuit, 'payments');
    assert.equal(event.mode, 'shared');
  }
  const opened = events.find((e) => e.type === 'transition' && e.to === 'open');
  assert.equal(opened?.state, 'open', 'each event carries the state just after it');
});

test('a shared circuit reports the fallback to a local breaker when Redis stops, and back to shared when it returns', async (t) => {
  const redis = await privateRedis(t);
  const circuit = await connectedCircuit(t, {
    name: 'orders',
    namespace: uniqueNamespace('events-fallback'),
    redisUrl: redis.url,
    failures: 1,
    resetTimeoutMs: 60_000,
  });
  const events: SharedCircuitEvent[] = [];
  const stop = circuit.onEvent((event) => events.push(event));

  await redis.stop();
  await waitUntil('the circuit falls back', () => circuit.mode === 'local');
  await assert.rejects(circuit.execute(() => Promise.reject(new Error('down'))));
  await assert.rejects(
    circuit.execute(() => Promise.resolve('never runs')),
    isCircuitOpenError,
  );
  await redis.start();
  await waitUntil('the circuit is back on Redis', () => circuit.mode === 'shared');

  assert.deepEqual(events.map(line), [
    'fallback to local',
    'call failure',
    'transition closed -> open',
    'rejected',
    // The restarted Redis is empty: the shared state, closed, replaces the local breaker's.
    'transition open -> closed',
    'fallback to shared',
  ]);
  const fellBack = events[0];
  assert.ok(fellBack?.type === 'fallback' && fellBack.to === 'local');
  assert.match(fellBack.reason, /\w/, 'the fallback says why');
  assert.equal(events[1]?.mode, 'local');

  stop();
  await circuit.execute(() => Promise.resolve('ok'));
  assert.equal(events.length, 6, 'a removed listener hears nothing more');
});
