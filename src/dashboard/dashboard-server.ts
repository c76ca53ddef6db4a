import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ListenError, PortInUseError, serverUrl } from '../server/mock-server.ts';
import { isLoopback } from '../server/control-endpoint.ts';
import type { EventStream } from './event-stream.ts';

/** Longest request body read; a mode or a settings object is far shorter. */
const MAX_BODY = 4096;

/** What the page's buttons ask for. Each resolves with the JSON to answer, or throws a one-line reason. */
export interface DashboardActions {
  /** `off`, `on`, or a server mode (`slow=800`, `error=503`, ...). */
  server(text: string): Promise<unknown>;
  settings(changes: Record<string, unknown>): Promise<unknown>;
}

/** A request the dashboard refuses with 400: the message says what was wrong. */
export class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
}

export function isBadRequestError(error: unknown): error is BadRequestError {
  return error instanceof BadRequestError;
}

export interface DashboardServer {
  readonly url: string;
  /** Closes the port and every connection, the page's streams included. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The page's web server, loopback only: `GET /` the page, `GET /events` the stream,
 * `POST /api/server` and `POST /api/settings` the buttons. A request from another address, or
 * naming another host (a DNS rebinding page), is refused.
 */
export async function startDashboardServer(options: {
  host: string;
  port: number;
  page: string;
  stream: EventStream;
  actions: DashboardActions;
}): Promise<DashboardServer> {
  const { page, stream, actions } = options;
  const sockets = new Set<Socket>();
  let port = options.port;
  const server = createServer((request, response) => {
    if (!isLoopback(request.socket.remoteAddress) || !isOwnHost(request.headers.host, port)) {
      return reply(response, 403, 'the dashboard answers loopback clients only\n');
    }
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/') {
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        // Nothing but this page and its own stream: no file from anywhere else, loopback or not.
        'content-security-policy':
          "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
      });
      response.end(page);
      return;
    }
    if (request.method === 'GET' && path === '/events') return stream.attach(response);
    if (request.method === 'POST' && path === '/api/server') {
      return void answer(request, response, (body) => actions.server(body));
    }
    if (request.method === 'POST' && path === '/api/settings') {
      return void answer(request, response, (body) => actions.settings(parseObject(body)));
    }
    reply(response, 404, 'Not found\n');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new PortInUseError(options.host, options.port));
      else if (error.code) reject(new ListenError(options.host, options.port, error.code));
      else reject(error);
    };
    server.once('error', onError);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  let stopping: Promise<void> | undefined;
  return {
    url: serverUrl(options.host, port),
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        stream.close();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      })),
  };
}

/** `Host: 127.0.0.1:<port>`, `localhost:<port>` or `[::1]:<port>`; anything else was not typed by our user. */
function isOwnHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  return ['127.0.0.1', 'localhost', '[::1]'].some((name) => host === `${name}:${port}`);
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  act: (body: string) => Promise<unknown>,
): Promise<void> {
  try {
    const body = await readBody(request);
    const result = await act(body);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(`${JSON.stringify(result)}\n`);
  } catch (error) {
    if (isBadRequestError(error)) return reply(response, 400, `${error.message}\n`);
    // A client that went away mid-body, or a bug: answer what can be answered, keep serving.
    const message = error instanceof Error ? error.message : String(error);
    console.error(`dashboard: ${request.method} ${request.url}: ${message}`);
    if (!response.headersSent) reply(response, 500, `${message}\n`);
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      if (body.length <= MAX_BODY) body += chunk; // read the rest, keep no more than that
    });
    request.on('end', () => {
      if (body.length > MAX_BODY)
        reject(new BadRequestError(`a body is at most ${MAX_BODY} characters`));
      else resolve(body);
    });
    request.on('error', reject);
  });
}

function parseObject(body: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new BadRequestError(
      `settings must be a JSON object, got ${JSON.stringify(body.slice(0, 80))}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRequestError(
      `settings must be a JSON object, got ${JSON.stringify(body.slice(0, 80))}`,
    );
  }
  return value as Record<string, unknown>;
}

function reply(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}
