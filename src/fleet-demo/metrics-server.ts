import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Registry } from 'prom-client';
import { ListenError, PortInUseError, serverUrl } from '../server/mock-server.ts';

export interface MetricsServerOptions {
  /** Whose metrics to serve. Required. */
  registry: Registry;
  /** Port; 0 picks a free one. Required. */
  port: number;
  /** Interface to bind. Default `127.0.0.1`: metrics are for the machine's own scraper unless told otherwise. */
  host?: string;
}

export interface MetricsServer extends AsyncDisposable {
  /** `http://host:port/metrics` */
  readonly url: string;
  readonly port: number;
  /** Closes the port and every connection. Idempotent. */
  stop(): Promise<void>;
}

/** Serves `GET /metrics` in Prometheus's text format; everything else is 404. */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { registry } = options;
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Not found: the metrics are at /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': registry.contentType });
        response.end(text);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(`${error instanceof Error ? error.message : String(error)}\n`);
      },
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new PortInUseError(host, options.port));
      else if (error.code) reject(new ListenError(host, options.port, error.code));
      else reject(error);
    };
    server.once('error', onError);
    server.listen({ host, port: options.port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    }));
  return {
    url: `${serverUrl(host, port)}metrics`,
    port,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
