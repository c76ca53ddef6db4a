import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { isCircuitOpenError } from 'shared-circuit';
import { CircuitMetrics } from 'shared-circuit/metrics';
import { startMetricsServer } from '../src/fleet-demo/metrics-server.ts';
import { samples } from './helpers/prometheus-text.ts';
import { connectedCircuit, redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { FLEET_CLOCK_SLACK_MS, FLEET_RESET_TIMEOUT_MS, waitUntil } from './helpers/timing.ts';

test('the metrics on the registry the user passes count what the circuit did, and /metrics serves them', async (t) => {
  const url = await redisUrl(t);
  const circuit = await connectedCircuit(t, {
    name: 'payments',
    namespace: cleanedNamespace(t, url, 'metrics'),
    redisUrl: url,
    failures: 2,
    resetTimeoutMs: FLEET_RESET_TIMEOUT_MS,
  });
  const registry = new Registry();
  const metrics = new CircuitMetrics({ registry, labelNames: ['app'] });
  metrics.observe(circuit, { app: 'shop' });
  const at = (name: string, labels: string) =>
    `fleet_circuit_${name}{circuit="payments",app="shop"${labels}}`;

  const before = samples(await registry.metrics());
  assert.equal(before.get(at('state', ',state="closed"')), 1);
  assert.equal(before.get(at('mode', ',mode="shared"')), 1);
  assert.equal(before.get(at('calls_total', ',outcome="success"')), 0, 'counters start at 0');

  await circuit.execute(() => Promise.resolve('ok'));
  for (let i = 0; i < 2; i += 1) {
    await assert.rejects(circuit.execute(() => Promise.reject(new Error('down'))));
  }
  for (let i = 0; i < 3; i += 1) {
    await assert.rejects(
      circuit.execute(() => Promise.resolve('no')),
      isCircuitOpenError,
    );
  }
  const open = samples(await registry.metrics());
  assert.equal(open.get(at('state', ',state="open"')), 1);
  assert.equal(open.get(at('state', ',state="closed"')), 0);
  assert.equal(open.get(at('calls_total', ',outcome="success"')), 1);
  assert.equal(open.get(at('calls_total', ',outcome="failure"')), 2);
  assert.equal(open.get(at('rejected_total', ',level="fleet"')), 3);
  assert.equal(open.get(at('rejected_total', ',level="process"')), 0);
  assert.equal(open.get(at('transitions_total', ',from="closed",to="open"')), 1);

  await sleep(FLEET_RESET_TIMEOUT_MS + FLEET_CLOCK_SLACK_MS);
  await circuit.execute(() => Promise.resolve('ok'));
  await waitUntil('the circuit closes', () => circuit.state === 'closed');

  const server = await startMetricsServer({ registry, port: 0 });
  t.after(() => server.stop());
  const response = await fetch(server.url);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const scraped = samples(await response.text());
  assert.equal(scraped.get(at('trial_calls_total', ',outcome="success"')), 1);
  assert.equal(scraped.get(at('transitions_total', ',from="open",to="half-open"')), 1);
  assert.equal(scraped.get(at('transitions_total', ',from="half-open",to="closed"')), 1);
  assert.equal(scraped.get(at('state', ',state="closed"')), 1);
  assert.equal(scraped.get(at('fallbacks_total', ',to="local"')), 0);
  assert.equal((await fetch(new URL('/', server.url))).status, 404);
});

test('metrics refuse an event without a label they were set up with', () => {
  const metrics = new CircuitMetrics({ registry: new Registry(), labelNames: ['worker'] });
  assert.throws(
    () =>
      metrics.record({
        type: 'rejected',
        level: 'fleet',
        circuit: 'c',
        state: 'open',
        mode: 'shared',
      }),
    /label "worker" is missing/,
  );
});
