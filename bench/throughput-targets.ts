/**
 * The two servers `bench/server-throughput.ts` loads, in a process of their own so the load
 * generator does not share their event loop: the project's mock server in `up` mode and a bare
 * `node:http` hello-world giving the same answer. Prints `{"mock":url,"bare":url}` once both
 * listen; when stdin closes, prints the mock's request count and stops.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GREETING, startMockServer } from '../src/server/mock-server.ts';

const mock = await startMockServer({ host: '127.0.0.1', port: 0, mode: { kind: 'up' } });

// The baseline: the same status, header and body, and nothing else.
const bare = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(GREETING);
});
bare.listen({ host: '127.0.0.1', port: 0 });
await once(bare, 'listening');
const barePort = (bare.address() as AddressInfo).port;

console.log(JSON.stringify({ mock: mock.url, bare: `http://127.0.0.1:${barePort}/` }));

process.stdin.resume();
process.stdin.once('end', () => {
  console.log(JSON.stringify({ mockRequests: mock.requests.total }));
  bare.closeAllConnections();
  bare.close();
  void mock.stop();
});
