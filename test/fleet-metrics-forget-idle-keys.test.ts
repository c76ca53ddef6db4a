import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { SharedCircuits } from 'shared-circuit';
import { CircuitMetrics } from 'shared-circuit/metrics';
import { test } from './helpers/redis-test.ts';
import { cleanUp, redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';

/** The circuits a text of metrics has series of. */
function circuitsIn(text: string): string[] {
  return [...new Set([...text.matchAll(/circuit="([^"]+)"/g)].map((match) => match[1]!))].sort();
}

test('the metric series of a key SharedCircuits forgets while idle go with it; a key met again starts at 0', async (t) => {
  const url = await redisUrl(t);
  let now = 0;
  const circuits = new SharedCircuits({
    redisUrl: url,
    namespace: cleanedNamespace(t, url, 'metrics-forget'),
    failures: 3,
    resetTimeoutMs: 60_000,
    idleMs: 1000,
    now: () => now,
    log: () => {},
  });
  cleanUp(t, () => circuits.dispose());
  const registry = new Registry();
  const metrics = new CircuitMetrics({ registry });
  metrics.observe(circuits.get('idle.example'));
  metrics.observe(circuits.get('busy.example'));
  assert.deepEqual(circuitsIn(await registry.metrics()), ['busy.example', 'idle.example']);

  now = 1000;
  circuits.get('busy.example'); // the sweep forgets the idle key
  assert.deepEqual(circuits.keys(), ['busy.example']);
  assert.deepEqual(circuitsIn(await registry.metrics()), ['busy.example']);

  metrics.observe(circuits.get('idle.example'));
  assert.match(
    await registry.metrics(),
    /fleet_circuit_calls_total\{circuit="idle.example",outcome="success"\} 0/,
  );
});

test('forget removes the series of a circuit whose events came through record', async () => {
  const registry = new Registry();
  const metrics = new CircuitMetrics({ registry, labelNames: ['worker'] });
  const event = {
    circuit: 'gone',
    state: 'closed',
    mode: 'shared',
    type: 'rejected',
    level: 'fleet',
  } as const;
  metrics.record(event, { worker: '1' });
  metrics.record(event, { worker: '2' });
  metrics.forget('gone', { worker: '1' });
  const text = await registry.metrics();
  assert.doesNotMatch(text, /worker="1"/);
  assert.match(text, /fleet_circuit_rejected_total\{circuit="gone",worker="2",level="fleet"\} 1/);
});
