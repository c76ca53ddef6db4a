/** The circuit shared across processes through Redis: the public surface, one explicit list. */
export { SharedCircuit, type SharedCircuitMode } from './shared-circuit.ts';
export { SharedCircuits, type SharedCircuitsOptions } from './shared-circuits.ts';
export type {
  CallOutcome,
  CircuitEventBody,
  EventContext,
  EventMode,
  SharedCircuitEvent,
  SharedCircuitEventType,
} from './events.ts';
export { CircuitMetrics, type CircuitMetricsOptions, type ObservableCircuit } from './metrics.ts';
export {
  FleetOptionsError,
  isFleetOptionsError,
  type SharedCircuitOptions,
} from './shared-circuit-options.ts';
export {
  CircuitControl,
  isRedisUnreachableError,
  isUnknownCircuitError,
  RedisUnreachableError,
  UnknownCircuitError,
  type CircuitControlOptions,
  type CircuitStatus,
  type ControlAction,
} from './control.ts';
export { fleetLibrary, type FleetLibraryOptions } from './fleet-library.ts';
export { circuitKeys, type CircuitKeys } from './circuit-keys.ts';
export {
  DEFAULT_REDIS_URL,
  isRedisUrlError,
  probeRedis,
  redisUrlFromEnv,
  RedisUrlError,
  type RedisProbe,
} from './redis-url.ts';
