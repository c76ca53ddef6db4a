import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** What the proxy does to the traffic between clients and the target, from now on. */
export type Fault =
  /** Forward everything as it comes. */
  | { kind: 'none' }
  /** Forward everything, each chunk `ms` late (in order), both ways. */
  | { kind: 'latency'; ms: number }
  /**
   * Accept connections, never answer: traffic is held both ways, as in a network partition, and
   * delivered when the fault is lifted (TCP would retransmit it).
   */
  | { kind: 'blackhole' }
  /** Cut off: every open connection is reset, and every new one is reset as it arrives. */
  | { kind: 'refuse' };

export interface FaultProxyOptions {
  /** Port of the target on the loopback interface (a Redis server, say). */
  targetPort: number;
  /** Loopback only. Default `127.0.0.1`. */
  targetHost?: string;
}

/** A TCP proxy on a loopback port that injects faults between its clients and one target. */
export interface FaultProxy extends AsyncDisposable {
  readonly port: number;
  /** Open client connections. */
  readonly connections: number;
  /** Client connections accepted so far. */
  readonly accepted: number;
  fault: Fault;
  /** Resets (RST) every open connection now; clients may connect again. Returns how many. */
  resetConnections(): number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export class FaultProxyError extends Error {
  override readonly name = 'FaultProxyError';
}

/** One client connection and its upstream twin. */
interface Pair {
  client: Socket;
  upstream: Socket;
  /** Chunks held during a blackhole, per direction, delivered in order when it lifts. */
  held: { to: Socket; chunk: Buffer }[];
}

/** Starts the proxy on a free loopback port; nothing leaves the machine. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const targetHost = options.targetHost ?? '127.0.0.1';
  if (!LOOPBACK.has(targetHost)) {
    throw new FaultProxyError(`the fault proxy targets loopback only, got "${targetHost}"`);
  }
  const pairs = new Set<Pair>();
  let fault: Fault = { kind: 'none' };
  let accepted = 0;

  const forward = (pair: Pair, to: Socket, chunk: Buffer): void => {
    switch (fault.kind) {
      case 'blackhole':
        pair.held.push({ to, chunk });
        return;
      case 'latency':
        setTimeout(() => to.destroyed || to.write(chunk), fault.ms).unref();
        return;
      case 'none':
      case 'refuse':
        if (!to.destroyed) to.write(chunk);
    }
  };

  const reset = (pair: Pair): void => {
    pairs.delete(pair);
    for (const socket of [pair.client, pair.upstream]) {
      if (!socket.destroyed) socket.resetAndDestroy();
    }
  };

  const server: Server = createServer({ noDelay: true }, (client) => {
    accepted += 1;
    const upstream = createConnection({ host: targetHost, port: options.targetPort });
    upstream.setNoDelay(true);
    const pair: Pair = { client, upstream, held: [] };
    pairs.add(pair);
    const end = () => {
      if (!pairs.has(pair)) return;
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
    client.on('data', (chunk: Buffer) => forward(pair, upstream, chunk));
    upstream.on('data', (chunk: Buffer) => forward(pair, client, chunk));
    if (fault.kind === 'refuse') reset(pair);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new FaultProxyError('no port');

  const resetAll = (): number => {
    const count = pairs.size;
    for (const pair of [...pairs]) reset(pair);
    return count;
  };
  const close = async (): Promise<void> => {
    resetAll();
    if (!server.listening) return;
    const closed = once(server, 'close');
    server.close();
    await closed;
  };

  return {
    port: address.port,
    get connections() {
      return pairs.size;
    },
    get accepted() {
      return accepted;
    },
    get fault() {
      return fault;
    },
    set fault(next: Fault) {
      const lifted = fault.kind === 'blackhole' && next.kind !== 'blackhole';
      fault = next;
      if (next.kind === 'refuse') resetAll();
      if (lifted) {
        for (const pair of pairs) {
          const held = pair.held.splice(0);
          for (const { to, chunk } of held) forward(pair, to, chunk);
        }
      }
    },
    resetConnections: resetAll,
    close,
    [Symbol.asyncDispose]: close,
  };
}
