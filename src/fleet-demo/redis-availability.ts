import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';
import { redactRedisUrl, RedisUrlError } from 'shared-circuit';

/**
 * What to do when there is no Redis, in the same words wherever it is said: the tests that skip,
 * `npm run bench`, `npm run fleet`.
 */
export const REDIS_INSTALL_HINT =
  "install Debian's redis-server package (apt-get install redis-server), or run bash .ci/run, which installs it and runs the tests";

/** True when `command` is an executable file in one of the PATH's folders. */
export function onPath(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return (env['PATH'] ?? '')
    .split(delimiter)
    .filter((folder) => folder !== '')
    .some((folder) => {
      try {
        accessSync(join(folder, command), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/**
 * Why a private Redis cannot be had here, or undefined when it can: REDIS_URL names one, or
 * `redis-server` is on the PATH to start one. The one line the tests and the bench print.
 */
export function missingRedis(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env['REDIS_URL'];
  if ((url !== undefined && url.trim() !== '') || onPath('redis-server', env)) return undefined;
  return `no Redis: redis-server is not on the PATH and REDIS_URL is not set; ${REDIS_INSTALL_HINT}`;
}

/** Where the lab finds Redis when REDIS_URL does not say otherwise. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** REDIS_URL, or the default (the package reads the same variable the same way). */
export function redisUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const url = env['REDIS_URL'];
  return url === undefined || url.trim() === '' ? DEFAULT_REDIS_URL : url;
}

/**
 * The lab's commands need one Redis server, `redis[s]://[user:password@]host[:port][/db]`: checked
 * up front, as ioredis reads a string it cannot parse as a Unix socket path and fails later.
 */
export function checkRedisUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (
    parsed === undefined ||
    !['redis:', 'rediss:'].includes(parsed.protocol) ||
    parsed.hostname === ''
  ) {
    throw new RedisUrlError(
      `REDIS_URL must look like redis://host:port, got "${redactRedisUrl(url)}"`,
    );
  }
  if (!/^\/?(\d+)?$/.test(parsed.pathname)) {
    throw new RedisUrlError(
      `the database in REDIS_URL must be a whole number >= 0, got "${redactRedisUrl(url)}"`,
    );
  }
  return url;
}

export type RedisProbe = { reachable: true } | { reachable: false; reason: string };

/** One PING with no retries: is a Redis server answering at `url` right now? */
export async function probeRedis(url: string, timeoutMs = 1000): Promise<RedisProbe> {
  try {
    checkRedisUrl(url);
  } catch (error) {
    return { reachable: false, reason: (error as Error).message };
  }
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => (lastError = error));
  try {
    await redis.connect();
    await redis.ping();
    return { reachable: true };
  } catch (error) {
    const cause = lastError ?? error;
    const code = (cause as { code?: unknown }).code;
    const message = cause instanceof Error ? cause.message : String(cause);
    return {
      reachable: false,
      reason: typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message,
    };
  } finally {
    redis.disconnect();
  }
}
