import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { test } from 'node:test';
import {
  GREETING,
  isListenError,
  isPortInUseError,
  startMockServer,
} from '../src/server/mock-server.ts';
import { startTestServer } from './helpers/test-server.ts';

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

test('answers GET / with 200 "Hello world!" as text/plain', async (t) => {
  const server = await startTestServer(t);
  const response = await fetch(server.url);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
  assert.equal(await response.text(), GREETING);
});

test('accepts connections as soon as startMockServer resolves', async (t) => {
  const server = await startTestServer(t);
  assert.equal(await connectionRefused(server.port), false);
});

test('port 0 picks a free port and reports it in port and url', async (t) => {
  const server = await startTestServer(t);
  assert.ok(server.port > 0);
  assert.equal(server.url, `http://127.0.0.1:${server.port}/`);
});

test('refuses connections once stop() resolves', async () => {
  const server = await startMockServer({ host: '127.0.0.1', port: 0 });
  await server.stop();
  assert.equal(await connectionRefused(server.port), true);
});

test('stop() closes keep-alive sockets: a pooled connection gets no stale answer', async () => {
  const server = await startMockServer({ host: '127.0.0.1', port: 0 });
  // fetch keeps the connection alive in its pool after the first answer.
  assert.equal(await (await fetch(server.url)).text(), GREETING);
  const started = performance.now();
  await server.stop();
  assert.ok(performance.now() - started < 1000, 'stop() waited for the idle keep-alive socket');
  await assert.rejects(fetch(server.url, { signal: AbortSignal.timeout(2000) }), (error: Error) => {
    assert.equal(error.name, 'TypeError', `expected a connection error, got ${error.name}`);
    return true;
  });
});

test('stop() ends a request that is open on a kept-alive socket instead of hanging', async () => {
  const server = await startMockServer({ host: '127.0.0.1', port: 0 });
  const socketClosed = new Promise<void>((resolve) => {
    const req = request({
      host: '127.0.0.1',
      port: server.port,
      path: '/',
      agent: false,
      headers: { connection: 'keep-alive' },
    });
    req.on('response', (response) => {
      response.resume();
      response.socket.once('close', () => resolve());
    });
    req.end();
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await server.stop();
  await socketClosed;
});

test('a port already in use rejects with an error naming host and port', async (t) => {
  const server = await startTestServer(t);
  await assert.rejects(startMockServer({ host: '127.0.0.1', port: server.port }), (error) => {
    assert.ok(isPortInUseError(error));
    assert.match(error.message, new RegExp(`127\\.0\\.0\\.1`));
    assert.match(error.message, new RegExp(String(server.port)));
    return true;
  });
});

test('an address it cannot bind rejects with a ListenError naming host, port and cause', async () => {
  // 192.0.2.1 (TEST-NET-1) is on no interface here: bind fails locally, nothing is sent.
  await assert.rejects(startMockServer({ host: '192.0.2.1', port: 0 }), (error) => {
    assert.ok(isListenError(error));
    assert.equal(error.message, 'cannot listen on 192.0.2.1 port 0: EADDRNOTAVAIL');
    return true;
  });
});

test('starts, stops and starts again on the same port, many times', async () => {
  const first = await startMockServer({ host: '127.0.0.1', port: 0 });
  const port = first.port;
  await first.stop();
  for (let round = 0; round < 20; round += 1) {
    const server = await startMockServer({ host: '127.0.0.1', port });
    assert.equal(await (await fetch(server.url)).text(), GREETING);
    await server.stop();
    assert.equal(await connectionRefused(port), true);
  }
});

test('await using stops the server at scope exit', async () => {
  let port: number;
  {
    await using server = await startMockServer({ host: '127.0.0.1', port: 0 });
    port = server.port;
    assert.equal(await connectionRefused(port), false);
  }
  assert.equal(await connectionRefused(port), true);
});

test('counts requests in total and per client header', async (t) => {
  const server = await startTestServer(t);
  await (await fetch(server.url, { headers: { 'x-circuit-lab-client': 'opossum' } })).text();
  await (await fetch(server.url, { headers: { 'x-circuit-lab-client': 'opossum' } })).text();
  await (await fetch(server.url)).text();
  assert.deepEqual(server.requests, {
    total: 3,
    byClient: { opossum: 2, '-': 1 },
    byMode: { up: 3 },
  });
});

test('writes a seed-style access line per request when a log is given', async (t) => {
  const lines: string[] = [];
  const server = await startTestServer(t, { log: (line) => lines.push(line) });
  await (await fetch(server.url)).text();
  assert.equal(lines.length, 1);
  assert.match(
    lines[0] ?? '',
    /^127\.0\.0\.1 - - \[\d{2}\/[A-Z][a-z]{2}\/\d{4} \d{2}:\d{2}:\d{2}\] "GET \/ HTTP\/1\.1" 200 -$/,
  );
});
