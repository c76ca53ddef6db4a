/**
 * shared-circuit/metrics: Prometheus metrics of shared circuits, on a prom-client registry you
 * own. A subpath of its own, so a program without prom-client never loads it.
 */
export { CircuitMetrics, type CircuitMetricsOptions, type ObservableCircuit } from './metrics.ts';
