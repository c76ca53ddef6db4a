import { Redis } from 'ioredis';
import { InputError } from '../input-error.ts';

/** Where the fleet finds Redis when neither an option nor REDIS_URL says otherwise. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export class RedisUrlError extends InputError {
  override readonly name = 'RedisUrlError';
}

export function isRedisUrlError(error: unknown): error is RedisUrlError {
  return error instanceof RedisUrlError;
}

/** REDIS_URL, or the default. */
export function redisUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const url = env['REDIS_URL'];
  return url === undefined || url.trim() === '' ? DEFAULT_REDIS_URL : url;
}

/**
 * Checks the form `redis[s]://[user:password@]host[:port][/db]` up front: ioredis reads a string it
 * cannot parse as a Unix socket path, which would only fail later and less clearly.
 */
export function checkRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RedisUrlError(`REDIS_URL must look like redis://host:port, got "${url}"`);
  }
  if ((parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || parsed.hostname === '') {
    throw new RedisUrlError(`REDIS_URL must look like redis://host:port, got "${redactUrl(url)}"`);
  }
  return url;
}

/** The URL with its password hidden, for log lines. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.href;
  } catch {
    return url;
  }
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
    return { reachable: false, reason: describeRedisError(lastError ?? error) };
  } finally {
    redis.disconnect();
  }
}

/** A Redis or socket error as a short phrase for a log line. */
export function describeRedisError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const message = error.message.split('\n')[0] ?? '';
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
