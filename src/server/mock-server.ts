import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CLIENT_HEADER } from '../http/protocol.ts';
import { countRequest, emptyCounts, type RequestCounts } from './request-counts.ts';
import { formatAccessLine } from './access-log.ts';
import { handleControl, CONTROL_PATH } from './control-endpoint.ts';
import { formatMode, RandomSources, type ServerMode } from './server-mode.ts';

/** The body every healthy answer carries, as the seed's Flask mock server does. */
export const GREETING = 'Hello world!';

export { CLIENT_HEADER };
export { emptyCounts, type RequestCounts };

export interface MockServerOptions {
  /** Interface to bind. Default `localhost`, like the seed. */
  host?: string;
  /** Port to bind; 0 picks a free one (see `MockServer.port`). Default 5000, like the seed. */
  port?: number;
  /** What the server does with each request. Default `{ kind: 'up' }`. */
  mode?: ServerMode;
  /** Seed of the random sources behind `flaky`, so runs repeat. Default 1. */
  seed?: number;
  /** The random sources behind `flaky`, to keep their sequences across restarts. Default: new ones from `seed`. */
  random?: RandomSources;
  /** Where to write a seed-style access line per request. Default: no log. */
  log?: (line: string) => void;
  /** Counts to add this server's requests to, so counts survive a stop and a restart. Default: fresh counts. */
  requests?: RequestCounts;
  /** Serve `PUT /__mock/mode` (loopback clients only) to change the mode by hand. Default false. */
  control?: boolean;
}

export interface MockServer extends AsyncDisposable {
  readonly host: string;
  readonly port: number;
  /** `http://host:port/` */
  readonly url: string;
  readonly requests: RequestCounts;
  /**
   * The mode in force. A request is served by the mode in force when it arrived. Setting it (even
   * to the same mode) starts `fail-every`'s count of each client's requests over.
   */
  mode: ServerMode;
  /** Closes the port and every open socket, keep-alive and hanging ones included. Idempotent. */
  stop(): Promise<void>;
}

/** The server could not listen on host:port (unknown host, a port it may not use, ...). */
export class ListenError extends Error {
  override readonly name: string = 'ListenError';
  constructor(
    readonly host: string,
    readonly port: number,
    readonly code: string,
    message = `cannot listen on ${host} port ${port}: ${code}`,
  ) {
    super(message);
  }
}

export function isListenError(error: unknown): error is ListenError {
  return error instanceof ListenError;
}

export class PortInUseError extends ListenError {
  override readonly name = 'PortInUseError';
  constructor(host: string, port: number) {
    super(host, port, 'EADDRINUSE', `port ${port} on ${host} is already in use`);
  }
}

export function isPortInUseError(error: unknown): error is PortInUseError {
  return error instanceof PortInUseError;
}

/** `http://host:port/`, with an IPv6 host in brackets. */
export function serverUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
}

/**
 * Starts the "unreliable" REST service: `GET /` answers 200 `Hello world!` in mode `up`, and
 * misbehaves as told in the other modes. Resolves once connections are accepted; `await using`
 * stops it at scope exit, the TypeScript form of the seed's `with mock_server.app.run(...)`.
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const host = options.host ?? 'localhost';
  const requestedPort = options.port ?? 5000;
  const { log } = options;
  const requests = options.requests ?? emptyCounts();
  const random = options.random ?? new RandomSources(options.seed ?? 1);
  const sockets = new Set<Socket>();
  const state = { mode: options.mode ?? ({ kind: 'up' } as ServerMode) };
  // Each client's requests since the mode was set, for `fail-every`: a new mode counts afresh.
  const sinceModeSet = new Map<string, number>();
  const setMode = (mode: ServerMode) => {
    state.mode = mode;
    sinceModeSet.clear();
  };

  const server: Server = createServer((request, response) => {
    if (log) response.once('finish', () => log(formatAccessLine(request, response.statusCode)));
    if (options.control && request.url?.startsWith(CONTROL_PATH)) {
      handleControl(request, response, {
        get: () => state.mode,
        set: setMode,
        requests,
      });
      return;
    }
    const mode = state.mode;
    const client = countRequest(requests, request, formatMode(mode));
    const nth = (sinceModeSet.get(client) ?? 0) + 1;
    sinceModeSet.set(client, nth);
    serve(mode, request, response, { random: random.for(client), nth });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new PortInUseError(host, requestedPort));
      else if (error.code) reject(new ListenError(host, requestedPort, error.code));
      else reject(error);
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
      // close() alone waits for busy sockets: a hanging request or a pooled client connection
      // must see the port go away now, not get a stale answer later.
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
    return stopping;
  };

  return {
    host,
    port,
    url: serverUrl(host, port),
    requests,
    get mode() {
      return state.mode;
    },
    set mode(mode: ServerMode) {
      setMode(mode);
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** What `flaky` and `fail-every` need to know of a request: its client's random source and count. */
interface RequestTurn {
  random: () => number;
  /** 1 for the client's first request since the mode was set. */
  nth: number;
}

function serve(
  mode: ServerMode,
  request: IncomingMessage,
  response: ServerResponse,
  turn: RequestTurn,
): void {
  switch (mode.kind) {
    case 'up':
      return greet(request, response);
    case 'slow': {
      const timer = setTimeout(() => greet(request, response), mode.ms);
      response.once('close', () => clearTimeout(timer));
      return;
    }
    case 'hang':
      return; // accepted, never answered; stop() or the client's timeout ends it
    case 'error':
      return plain(response, mode.status, `Mock error ${mode.status}`);
    case 'flaky':
      return turn.random() < mode.rate
        ? plain(response, 503, 'Mock error 503 (flaky)')
        : greet(request, response);
    case 'fail-every':
      return turn.nth % mode.n === 0
        ? plain(response, 503, `Mock error 503 (request ${turn.nth}, fail-every=${mode.n})`)
        : greet(request, response);
    case 'reset':
      request.socket.destroy();
      return;
  }
}

function greet(request: IncomingMessage, response: ServerResponse): void {
  if (request.method === 'GET' && (request.url === '/' || request.url?.startsWith('/?'))) {
    return plain(response, 200, GREETING);
  }
  plain(response, 404, 'Not found');
}

function plain(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(body);
}
