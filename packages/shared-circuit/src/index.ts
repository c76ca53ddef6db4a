/**
 * shared-circuit: a circuit breaker whose state is shared by every Node process of a fleet through
 * Redis. The public surface, one explicit list; Prometheus metrics are `shared-circuit/metrics`.
 */
export {
  SharedCircuit,
  type CircuitAction,
  type ExecuteContext,
  type ExecuteResult,
  type SharedCircuitMode,
} from './shared-circuit.ts';
export { SharedCircuits, type SharedCircuitsOptions } from './shared-circuits.ts';
export type { SharedCircuitOptions } from './shared-circuit-options.ts';
export { MemoryStore, type MemoryStoreOptions } from './store/memory-store.ts';
export type { CircuitState } from './circuit-state.ts';
export type {
  CallOutcome,
  CircuitEventBody,
  EventContext,
  EventMode,
  SharedCircuitEvent,
  SharedCircuitEventType,
} from './events.ts';
export {
  CircuitControl,
  type CircuitControlOptions,
  type CircuitStatus,
  type ControlAction,
} from './control.ts';
export { redactUrl as redactRedisUrl } from './redis-url.ts';
export {
  CircuitOpenError,
  isCircuitOpenError,
  type RejectionLevel,
} from './errors/circuit-open-error.ts';
export { CircuitIsolatedError, isCircuitIsolatedError } from './errors/circuit-isolated-error.ts';
export { CircuitDisposedError, isCircuitDisposedError } from './errors/circuit-disposed-error.ts';
export { SharedCircuitOptionsError, isSharedCircuitOptionsError } from './errors/options-error.ts';
export { RedisUrlError, isRedisUrlError } from './errors/redis-url-error.ts';
export { UnknownCircuitError, isUnknownCircuitError } from './errors/unknown-circuit-error.ts';
export {
  RedisUnreachableError,
  isRedisUnreachableError,
} from './errors/redis-unreachable-error.ts';
