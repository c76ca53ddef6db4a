import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { RedisUrlError } from './errors/redis-url-error.ts';
import { checkRedisUrl, redactUrl, redisDb } from './redis-url.ts';

export interface RedisNode {
  host: string;
  port: number;
}

/** Credentials and TLS, as a URL gives them. */
interface Access {
  username?: string;
  password?: string;
  tls: boolean;
}

/** Where a circuit's Redis is: one server, a cluster, or a master found through Sentinel. */
export type RedisTarget =
  | { kind: 'server'; url: string; db: number }
  /** `redis-cluster://[user:password@]host:port[,host:port...]`: any nodes; the rest are discovered. */
  | ({ kind: 'cluster'; nodes: RedisNode[]; db: 0 } & Access)
  /** `redis-sentinel://[user:password@]host:port[,host:port...]/<master>[?db=N]`: the sentinels. */
  | ({ kind: 'sentinel'; sentinels: RedisNode[]; masterName: string; db: number } & Access);

const MULTI_NODE =
  /^(rediss?)-(cluster|sentinel):\/\/(?:([^@/]*)@)?([^/?#]+)(\/[^?#]*)?(?:\?([^#]*))?$/;

/** Reads a Redis URL of any supported form; a bad one throws RedisUrlError showing it (redacted). */
export function parseRedisTarget(url: string): RedisTarget {
  const match = MULTI_NODE.exec(url);
  if (match === null) return { kind: 'server', url: checkRedisUrl(url), db: redisDb(url) };
  const [, scheme, topology, userinfo, hostList, path, query] = match;
  const bad = (why: string) => new RedisUrlError(`${why}, got "${redactUrl(url)}"`);
  const params = new URLSearchParams(query ?? '');
  const defaultPort = topology === 'cluster' ? 6379 : 26379;
  const nodes = (hostList ?? '').split(',').map((entry) => {
    const node = /^([\w.-]+|\[[\d:a-fA-F]+\])(?::(\d+))?$/.exec(entry.trim());
    if (node === null) throw bad(`REDIS_URL must list nodes as host:port separated by commas`);
    return { host: node[1]!.replace(/^\[|\]$/g, ''), port: Number(node[2] ?? defaultPort) };
  });
  const [user, ...secret] = (userinfo ?? '').split(':');
  const password = secret.length > 0 ? secret.join(':') : params.get('password');
  const access: Access = {
    tls: scheme === 'rediss',
    ...(user ? { username: decodeURIComponent(user) } : {}),
    ...(password ? { password: decodeURIComponent(password) } : {}),
  };
  if (topology === 'cluster') {
    if (path !== undefined && path !== '/') {
      throw bad('a Redis Cluster has database 0 only: REDIS_URL must not name one');
    }
    return { kind: 'cluster', nodes, db: 0, ...access };
  }
  const masterName = (path ?? '').replace(/^\//, '');
  if (!/^[\w.-]+$/.test(masterName)) {
    throw bad(
      'REDIS_URL must name the master after the sentinels, as in redis-sentinel://host:26379/mymaster',
    );
  }
  const db = Number(params.get('db') ?? 0);
  if (!Number.isInteger(db) || db < 0) throw bad('db must be a whole number >= 0');
  return { kind: 'sentinel', sentinels: nodes, masterName, db, ...access };
}

/** The client options both connections share; the command connection adds its timeout. */
export type ClientOptions = Pick<
  RedisOptions,
  | 'connectTimeout'
  | 'commandTimeout'
  | 'enableOfflineQueue'
  | 'maxRetriesPerRequest'
  | 'autoResubscribe'
  | 'retryStrategy'
  | 'reconnectOnError'
  | 'connectionName'
>;

/** A connection to the target: a plain client, a Sentinel-backed one, or a cluster client. */
export function createRedisClient(target: RedisTarget, options: ClientOptions): Redis | Cluster {
  switch (target.kind) {
    case 'server':
      return new Redis(target.url, options);
    case 'sentinel':
      return new Redis({
        ...options,
        ...access(target),
        sentinels: target.sentinels,
        name: target.masterName,
        db: target.db,
        // Hear the sentinels' +switch-master and reconnect at once: without it a client stays on
        // the old master, still writable for a while, after the replica was promoted.
        failoverDetector: true,
      });
    case 'cluster': {
      const { retryStrategy, enableOfflineQueue, ...redisOptions } = options;
      return new Cluster(target.nodes, {
        enableOfflineQueue: enableOfflineQueue ?? false,
        clusterRetryStrategy: retryStrategy ?? null,
        slotsRefreshTimeout: options.connectTimeout ?? 2000,
        redisOptions: { ...redisOptions, ...access(target) },
      });
    }
  }
}

function access(target: Access): Pick<RedisOptions, 'username' | 'password' | 'tls'> {
  return {
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(target.password === undefined ? {} : { password: target.password }),
    ...(target.tls ? { tls: {} } : {}),
  };
}
