import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { SharedCircuits } from 'shared-circuit';
import { isSharedCircuitOptionsError } from 'shared-circuit';

// No Redis needed: a listener stands where Redis would be and counts who connects to it.
test('a bad key is refused with an error naming it, before anything connects', async (t) => {
  let connections = 0;
  const listener = createServer((socket) => {
    connections += 1;
    socket.destroy();
  }).listen(0, '127.0.0.1');
  await once(listener, 'listening');
  t.after(() => new Promise((resolve) => listener.close(resolve)));
  const { port } = listener.address() as AddressInfo;
  const circuits = new SharedCircuits({
    redisUrl: `redis://127.0.0.1:${port}`,
    failures: 1,
    resetTimeoutMs: 1000,
    log: () => {},
  });
  t.after(() => circuits.dispose());

  assert.throws(
    () => circuits.get('api example.com/v1'),
    (error) =>
      isSharedCircuitOptionsError(error) &&
      error.message ===
        'key must be letters, digits, "_", "-", ".", ":", "[" or "]", got "api example.com/v1"',
  );
  assert.throws(() => circuits.get('x'.repeat(300)), /key must be at most 255 characters/);
  assert.throws(
    () => new SharedCircuits({ failures: 1, resetTimeoutMs: 1000, idleMs: 0 }),
    /^SharedCircuitOptionsError: idleMs must be a number of milliseconds > 0 and <= 2147483647, got 0$/,
  );
  assert.equal(circuits.size, 0);
  // A connection would have been started in the background: give it a few turns to arrive.
  for (let i = 0; i < 10; i += 1) await nextTurn();
  assert.equal(connections, 0, 'nothing connected to Redis');
});
