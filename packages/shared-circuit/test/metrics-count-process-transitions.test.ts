import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { CircuitMetrics } from '../src/metrics-entry.ts';
import { fail, heard, MemoryFleet, succeed } from './helpers/memory-fleet.ts';

test("the metrics count a process's own transitions and rejections apart from the fleet's", async (t) => {
  const fleet = new MemoryFleet(t);
  const registry = new Registry();
  const metrics = new CircuitMetrics({ registry });
  const options = { name: 'orders', failures: 2, resetTimeoutMs: 1_000, minProcesses: 2 };
  const bad = await fleet.circuit({ ...options, processId: 'bad' });
  metrics.observe(bad);
  await bad.execute(fail).catch(() => {});
  await bad.execute(fail).catch(() => {});
  await bad.execute(succeed).catch(() => {});
  await heard();
  const text = await registry.metrics();
  assert.match(
    text,
    /fleet_circuit_process_transitions_total\{circuit="orders",from="closed",to="open"\} 1/,
  );
  assert.match(text, /fleet_circuit_rejected_total\{circuit="orders",level="process"\} 1/);
  assert.match(
    text,
    /fleet_circuit_state\{circuit="orders",state="closed"\} 1/,
    'the fleet stays closed',
  );
  assert.doesNotMatch(
    text,
    /fleet_circuit_transitions_total\{[^}]*\} [1-9]/,
    'no fleet transition',
  );
});
