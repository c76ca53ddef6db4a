// The same from CommonJS: require() of the ESM package (Node >= 22.12 loads it synchronously).
const { SharedCircuit, isCircuitOpenError } = require('shared-circuit');

(async () => {
  const circuit = new SharedCircuit({
    name: 'payments',
    namespace: process.env.NAMESPACE,
    failures: 2,
    resetTimeoutMs: 60_000,
  });
  console.log('ready:', await circuit.ready());
  // The first process opened it: this one rejects at once, with the same guard.
  try {
    await circuit.execute(() => Promise.resolve('never'));
  } catch (error) {
    console.log('rejected:', isCircuitOpenError(error), error.level, circuit.state);
  }
  await circuit.dispose();
})();
