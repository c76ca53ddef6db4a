import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { describeRedisError } from './redis-url.ts';

/**
 * Redis refused a command for the user's ACL: a direct command says `NOPERM ...` and names it; a
 * command inside a script says only that "the user executing the script can't run" it (Redis
 * 7.0). Completes "Redis at <url> ..."; undefined for any other error. No retry mends it, so the
 * circuits stay local, and the resume checks it again quietly.
 */
export function deniedCommand(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.name !== 'ReplyError') return undefined;
  if (!/^NOPERM\b|user executing the script can't run/.test(error.message)) return undefined;
  return `denies its user a command the circuit needs (${describeRedisError(error)})`;
}

/**
 * What a Redis server at a `redis[s]://` URL says to a new connection before any command is
 * sent: nothing, unless it refuses it (`-ERR max number of clients reached`), which it sends and
 * then closes the connection, so ioredis only sees `write EPIPE` or `ECONNRESET`. Resolves the
 * refusal as "refuses new connections (<what it said>)", undefined when it says nothing within
 * `timeoutMs` or cannot be reached.
 */
export function refusalOnConnect(url: string, timeoutMs: number): Promise<string | undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.resolve(undefined);
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const port = Number(parsed.port || 6379);
  return new Promise((resolve) => {
    const socket: Socket =
      parsed.protocol === 'rediss:'
        ? connectTls({ host, port, servername: host })
        : connectTcp({ host, port });
    const done = (said: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(said);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    timer.unref();
    socket.once('error', () => done(undefined));
    socket.once('close', () => done(undefined));
    socket.once('data', (data) => {
      const line = data.toString('utf8').split('\r\n')[0] ?? '';
      done(line.startsWith('-') ? `refuses new connections (${line.slice(1)})` : undefined);
    });
  });
}

/** Where a plain (not cluster) client connects: the node to name in a `redis-cluster://` URL. */
export interface PlainNode {
  host: string;
  port: number;
  tls: boolean;
}

/**
 * The server at a plain `redis[s]://` address is a Redis Cluster node (`cause`: INFO's
 * `cluster_enabled:1`, or the MOVED or ASK a script got for a key whose slot lives on another
 * node). A plain client follows no redirection, so the circuits whose slots live elsewhere could
 * never share: no reconnection mends it, the URL does. Completes "Redis at <url> ...".
 */
export function clusterNode(cause: string, node: PlainNode): string {
  const host = node.host.includes(':') ? `[${node.host}]` : node.host;
  const scheme = node.tls ? 'rediss-cluster' : 'redis-cluster';
  return `is a Redis Cluster node (${cause}): use ${scheme}://${host}:${node.port}`;
}

/** `MOVED <slot> <host:port>` or `ASK ...`: a cluster node's redirection; undefined for any other error. */
export function clusterRedirection(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.name !== 'ReplyError') return undefined;
  return /^(?:MOVED|ASK) \d+ \S+/.exec(error.message)?.[0];
}

/** INFO's `cluster` section says the server runs in cluster mode. */
export function clusterEnabled(info: string): boolean {
  return /^cluster_enabled:1\b/m.test(info);
}
