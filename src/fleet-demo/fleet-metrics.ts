import { Registry } from 'prom-client';
import type { SharedCircuitEvent } from 'shared-circuit';
import { CircuitMetrics } from 'shared-circuit/metrics';
import { startMetricsServer } from './metrics-server.ts';

export interface FleetMetrics {
  /** Records one worker's event, labelled `worker="<n>"`. */
  record(worker: number, event: SharedCircuitEvent): void;
  stop(): Promise<void>;
}

/**
 * The fleet demo's metrics: every worker's shared-circuit events, sent to the parent, counted on
 * one registry and served at /metrics on loopback. Says where on stderr (stdout stays for --json).
 */
export async function serveFleetMetrics(port: number): Promise<FleetMetrics> {
  const registry = new Registry();
  const metrics = new CircuitMetrics({ registry, labelNames: ['worker'] });
  const server = await startMetricsServer({ registry, port });
  console.error(`fleet: metrics at ${server.url}`);
  return {
    record: (worker, event) => metrics.record(event, { worker: String(worker) }),
    stop: () => server.stop(),
  };
}
