import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createConnection, createServer, type Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFaultProxy, type FaultProxy } from '../src/faults/fault-proxy.ts';
import { cleanUp } from './helpers/redis.ts';
import { REAL_TIME_SLACK_MS, waitUntil } from './helpers/timing.ts';

/** An echo server behind a fault proxy, and a client connected through it. */
async function echoThroughProxy(t: TestContext): Promise<{ proxy: FaultProxy; client: Socket }> {
  const echo = createServer((socket) => socket.on('error', () => {}).pipe(socket));
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  cleanUp(t, () => echo.close());
  const address = echo.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const proxy = await startFaultProxy({ targetPort: address.port });
  cleanUp(t, () => proxy.close());
  const client = createConnection({ host: '127.0.0.1', port: proxy.port });
  client.on('error', () => {});
  cleanUp(t, () => client.destroy());
  await once(client, 'connect');
  return { proxy, client };
}

/** Resolves when the socket closes, whatever error it had (events.once would reject on one). */
function closing(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

async function roundTrip(client: Socket, text: string): Promise<number> {
  const started = performance.now();
  client.write(text);
  const [data] = (await once(client, 'data')) as [Buffer];
  assert.equal(data.toString(), text);
  return performance.now() - started;
}

test('the fault proxy forwards, adds latency both ways, and holds traffic in a blackhole until it lifts', async (t) => {
  const { proxy, client } = await echoThroughProxy(t);
  assert.ok((await roundTrip(client, 'plain')) < 200);
  proxy.fault = { kind: 'latency', ms: 150 };
  assert.ok((await roundTrip(client, 'slow')) >= 2 * 150 - 5, 'delayed on the way there and back');

  proxy.fault = { kind: 'blackhole' };
  let answered = false;
  const held = roundTrip(client, 'held').then(() => (answered = true));
  await sleep(REAL_TIME_SLACK_MS);
  assert.equal(answered, false, 'no answer while blackholed');
  assert.equal(proxy.connections, 1, 'the connection stays open');
  proxy.fault = { kind: 'none' };
  await held;
});

test('the fault proxy resets open connections, and refuses new ones while cut off', async (t) => {
  const { proxy, client } = await echoThroughProxy(t);
  const closed = closing(client);
  assert.equal(proxy.resetConnections(), 1);
  await closed;

  proxy.fault = { kind: 'refuse' };
  const again = createConnection({ host: '127.0.0.1', port: proxy.port });
  let error: unknown;
  again.on('error', (e) => (error = e));
  await closing(again);
  assert.match(String(error), /ECONNRESET/);
  await waitUntil('no connection is left', () => proxy.connections === 0);
});

test('the fault proxy only targets the loopback interface', async () => {
  await assert.rejects(
    startFaultProxy({ targetHost: '10.0.0.1', targetPort: 6379 }),
    /loopback only, got "10.0.0.1"/,
  );
});
