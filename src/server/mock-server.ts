import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { formatAccessLine } from './access-log.ts';

/** The body every healthy answer carries, as the seed's Flask mock server does. */
export const GREETING = 'Hello world!';

/** The request header a client sets so the server can count requests per client. */
export const CLIENT_HEADER = 'x-circuit-lab-client';

export interface MockServerOptions {
  /** Interface to bind. Default `localhost`, like the seed. */
  host?: string;
  /** Port to bind; 0 picks a free one (see `MockServer.port`). Default 5000, like the seed. */
  port?: number;
  /** Where to write a seed-style access line per request. Default: no log. */
  log?: (line: string) => void;
  /** Counts to add this server's requests to, so counts survive a stop and a restart. Default: fresh counts. */
  requests?: RequestCounts;
}

/** Requests that reached the server since it started. */
export interface RequestCounts {
  total: number;
  /** Keyed by the `x-circuit-lab-client` header ("-" when absent). */
  byClient: Record<string, number>;
}

export interface MockServer extends AsyncDisposable {
  readonly host: string;
  readonly port: number;
  /** `http://host:port/` */
  readonly url: string;
  readonly requests: RequestCounts;
  /** Closes the port and every open socket, keep-alive ones included. Idempotent. */
  stop(): Promise<void>;
}

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`port ${port} on ${host} is already in use`);
  }
}

export function isPortInUseError(error: unknown): error is PortInUseError {
  return error instanceof PortInUseError;
}

/**
 * Starts the "unreliable" REST service: `GET /` answers 200 `Hello world!`.
 * Resolves once connections are accepted; `await using` stops it at scope exit,
 * the TypeScript form of the seed's `with mock_server.app.run(...)`.
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const host = options.host ?? 'localhost';
  const requestedPort = options.port ?? 5000;
  const log = options.log;
  const requests: RequestCounts = options.requests ?? { total: 0, byClient: {} };
  const sockets = new Set<Socket>();

  const server: Server = createServer((request, response) => {
    requests.total += 1;
    const client = headerValue(request, CLIENT_HEADER) ?? '-';
    requests.byClient[client] = (requests.byClient[client] ?? 0) + 1;
    answer(request, response);
    if (log) response.once('finish', () => log(formatAccessLine(request, response.statusCode)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, requestedPort) : error);
    };
    server.once('error', onError);
    server.listen({ host, port: requestedPort }, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const port = (server.address() as AddressInfo).port;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      // close() alone waits for keep-alive sockets; a pooled client connection
      // must see the port go away now, not get a stale answer later.
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
    return stopping;
  };

  return {
    host,
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    requests,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

function answer(request: IncomingMessage, response: ServerResponse): void {
  if (request.method === 'GET' && (request.url === '/' || request.url?.startsWith('/?'))) {
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(GREETING);
    return;
  }
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  response.end('Not found');
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
