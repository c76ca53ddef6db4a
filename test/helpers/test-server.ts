import type { TestContext } from 'node:test';
import {
  startMockServer,
  type MockServer,
  type MockServerOptions,
} from '../../src/server/mock-server.ts';

/** A mock server on a free loopback port, stopped when the test ends. */
export async function startTestServer(
  t: TestContext,
  options: Omit<MockServerOptions, 'host' | 'port'> = {},
): Promise<MockServer> {
  const server = await startMockServer({ host: '127.0.0.1', port: 0, ...options });
  t.after(() => server.stop());
  return server;
}
