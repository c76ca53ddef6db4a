// A TypeScript user's file, checked with module/moduleResolution nodenext and run by Node itself.
// The listener, added before ready(), hears the circuit take the open state it finds in Redis.
import {
  CircuitControl,
  SharedCircuit,
  isCircuitOpenError,
  type CircuitState,
  type SharedCircuitEvent,
  type SharedCircuitOptions,
} from 'shared-circuit';

const options: SharedCircuitOptions = {
  name: 'payments',
  namespace: process.env['NAMESPACE'] ?? 'circuit',
  failures: 2,
  resetTimeoutMs: 60_000,
};
const seen: SharedCircuitEvent['type'][] = [];
await using circuit = new SharedCircuit(options);
const stop = circuit.onEvent((event) => seen.push(event.type));
await circuit.ready();
const state: CircuitState = circuit.state;
const answer = await circuit
  .execute(async ({ signal }: { signal: AbortSignal }) => (signal.aborted ? 'aborted' : 'ran'))
  .catch((error: unknown) => (isCircuitOpenError(error) ? `rejected by ${error.level}` : 'failed'));
stop();
const control = new CircuitControl({ namespace: options.namespace ?? 'circuit' });
const status = await control.reset('payments');
await control.close();
console.log(`state: ${state}; call: ${answer}; events: ${seen.join(',')}; reset: ${status.state}`);
