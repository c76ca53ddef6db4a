import assert from 'node:assert/strict';
import { CircuitControl } from 'shared-circuit';
import { test } from '../../../test/helpers/redis-test.ts';
import { connectedCircuit, redisUrl, uniqueNamespace } from '../../../test/helpers/redis.ts';

test("the action gets the caller's signal; an abort rejects at once with its reason and is not counted as a failure", async (t) => {
  const url = await redisUrl(t);
  const namespace = uniqueNamespace('abort');
  const circuit = await connectedCircuit(t, {
    name: 'slow',
    namespace,
    redisUrl: url,
    failures: 1,
    resetTimeoutMs: 60_000,
  });

  const controller = new AbortController();
  let seen: AbortSignal | undefined;
  const call = circuit.execute(
    ({ signal }) =>
      new Promise<string>((_, reject) => {
        seen = signal;
        // The dependency notices the abort a little later and fails, as fetch would.
        signal.addEventListener('abort', () =>
          setTimeout(() => reject(new Error('aborted fetch')), 20),
        );
      }),
    controller.signal,
  );
  controller.abort(new Error('caller gave up'));
  await assert.rejects(call, /caller gave up/);
  assert.equal(seen, controller.signal);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(circuit.state, 'closed', 'the failure after the abort opened nothing (threshold 1)');

  await assert.rejects(
    circuit.execute(() => Promise.resolve(1), AbortSignal.abort(new Error('already'))),
    /already/,
  );

  const control = new CircuitControl({ redisUrl: url, namespace });
  t.after(() => control.close());
  assert.equal((await control.status('slow')).failures, 0);
  assert.equal(
    await circuit.execute(async ({ signal }) => (signal.aborted ? 'aborted' : 'ran')),
    'ran',
  );
});
