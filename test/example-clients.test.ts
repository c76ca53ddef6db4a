import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as cockatielExample from '../examples/cockatiel.ts';
import * as mollitiaExample from '../examples/mollitia.ts';
import * as opossumExample from '../examples/opossum.ts';
import { startMockServer } from '../src/server/mock-server.ts';
import { startTestServer } from './helpers/test-server.ts';

const examples = {
  opossum: opossumExample,
  cockatiel: cockatielExample,
  mollitia: mollitiaExample,
};

for (const [library, example] of Object.entries(examples)) {
  test(`${library} example: getGreeting returns "Hello world!" with the server on`, async (t) => {
    const server = await startTestServer(t);
    assert.equal(await example.getGreeting(server.url), 'Hello world!');
  });

  test(`${library} example: getGreeting rejects with a connection error with the server off`, async () => {
    const server = await startMockServer({ host: '127.0.0.1', port: 0 });
    await server.stop();
    await assert.rejects(example.getGreeting(server.url), (error) => {
      // Node's fetch: TypeError "fetch failed", the socket's error in `cause`.
      assert.ok(error instanceof TypeError, `expected fetch's TypeError, got ${String(error)}`);
      assert.equal((error.cause as { code?: unknown } | undefined)?.code, 'ECONNREFUSED');
      return true;
    });
  });
}
