import assert from 'node:assert/strict';
import { SharedCircuit } from 'shared-circuit';
import { test } from '../../../test/helpers/redis-test.ts';
import { connectedCircuit, redisUrl, uniqueNamespace } from '../../../test/helpers/redis.ts';

test('every listener method returns an unsubscribe, and a throwing listener never fails a call: its error is logged', async (t) => {
  const logged: string[] = [];
  const circuit = await connectedCircuit(t, {
    name: 'listeners',
    namespace: uniqueNamespace('listeners'),
    redisUrl: await redisUrl(t),
    failures: 1,
    resetTimeoutMs: 60_000,
  });
  // connectedCircuit silences the log: a second circuit logs into our list.
  const loud = new SharedCircuit({
    name: 'listeners-loud',
    namespace: uniqueNamespace('listeners'),
    redisUrl: await redisUrl(t),
    failures: 1,
    resetTimeoutMs: 60_000,
    log: (line) => logged.push(line),
  });
  t.after(() => loud.dispose());
  await loud.ready();

  const events: string[] = [];
  const states: string[] = [];
  const stopEvents = circuit.onEvent((event) => events.push(event.type));
  const stopStates = circuit.onStateChange((state) => states.push(state));
  await circuit.execute(() => Promise.resolve(1));
  stopEvents();
  stopStates();
  await circuit.execute(() => Promise.reject(new Error('down'))).catch(() => {});
  assert.deepEqual(events, ['call']);
  assert.deepEqual(states, [], 'unsubscribed before the circuit opened');
  assert.equal(circuit.state, 'open');

  loud.onEvent(() => {
    throw new Error('listener bug');
  });
  loud.onStateChange(() => {
    throw new Error('state listener bug');
  });
  assert.equal(await loud.execute(() => Promise.resolve('answer')), 'answer');
  await assert.rejects(
    loud.execute(() => Promise.reject(new Error('down'))),
    /^Error: down$/,
  );
  assert.ok(
    logged.some((line) =>
      /a listener of circuit "listeners-loud" threw: Error: listener bug/.test(line),
    ),
    logged.join('\n'),
  );
  assert.ok(
    logged.some((line) => /threw: Error: state listener bug/.test(line)),
    logged.join('\n'),
  );
});
