/**
 * A plain node:http service that calls other services with fetch, through one shared circuit per
 * upstream host (SharedCircuits): `GET /proxy?url=<upstream url>`. What docs/fleet.md's "Running it
 * in a service" shows; small on purpose, to be read.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isCircuitOpenError } from 'shared-circuit';
import type { SharedCircuits } from 'shared-circuit';

export interface ProxyService {
  readonly url: string;
  readonly circuits: SharedCircuits;
  close(): Promise<void>;
}

/** Starts the service on `port` (0: a free one) of 127.0.0.1, calling through `circuits`. */
export async function startProxyService(
  port: number,
  circuits: SharedCircuits,
  log: (line: string) => void = () => {},
): Promise<ProxyService> {
  const server: Server = createServer((request, response) => {
    void (async () => {
      const answer = (status: number, body: string) => {
        log(`${request.method} ${request.url} -> ${status} ${body.trim()}`);
        response.writeHead(status, { 'content-type': 'text/plain' }).end(body);
      };
      const target = new URL(request.url ?? '/', 'http://service').searchParams.get('url');
      let upstream: URL;
      try {
        upstream = new URL(target ?? '');
      } catch {
        return answer(400, 'give ?url=<upstream url>\n');
      }
      // The circuit's key: the upstream's host and port, so one dead host does not cut off others.
      const key = upstream.host;
      try {
        const body = await circuits.get(key).execute(async () => {
          const reply = await fetch(upstream, { signal: AbortSignal.timeout(1000) });
          const text = await reply.text();
          if (!reply.ok) throw new Error(`${key} answered ${reply.status}`);
          return text;
        });
        answer(200, body);
      } catch (error) {
        if (isCircuitOpenError(error)) return answer(503, `circuit for ${key} is open\n`);
        answer(502, `${error instanceof Error ? error.message : String(error)}\n`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    circuits,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await circuits.dispose();
    },
  };
}
