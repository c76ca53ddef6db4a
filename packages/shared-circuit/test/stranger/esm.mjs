// A stranger's plain JavaScript ESM file: the package by name, a real Redis from REDIS_URL.
import { SharedCircuit, isCircuitOpenError } from 'shared-circuit';

const circuit = new SharedCircuit({
  name: 'payments',
  namespace: process.env.NAMESPACE,
  failures: 2,
  resetTimeoutMs: 60_000,
});
console.log('ready:', await circuit.ready());
for (let i = 0; i < 2; i += 1) {
  await circuit.execute(() => Promise.reject(new Error('down'))).catch(() => {});
}
try {
  await circuit.execute(() => Promise.resolve('never'));
} catch (error) {
  console.log('rejected:', isCircuitOpenError(error), error.level, circuit.state);
}
await circuit.dispose();
