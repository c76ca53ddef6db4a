import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { runScript } from './helpers/run-command.ts';
import { SPEED } from './helpers/timing.ts';

test('a port already in use is the only thing the lab prints: one line, exit code 1', async (t) => {
  // Taken on the lab's own host name, so it is taken whichever address localhost resolves to.
  const taken = createServer().listen(0, 'localhost');
  await once(taken, 'listening');
  t.after(() => new Promise((resolve) => taken.close(resolve)));
  const { port } = taken.address() as AddressInfo;

  const result = await runScript('src/cli/lab.ts', [
    '--port',
    String(port),
    '--speed',
    String(SPEED),
  ]);

  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.stdout, '', 'no scenario line or table header before the error');
  assert.equal(
    result.stderr,
    `error: port ${port} on localhost is already in use; free it or choose another with --port\n`,
  );
});
