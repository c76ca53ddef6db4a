import { Redis } from 'ioredis';

/**
 * Deletes every key of `namespace` from the Redis at `redisUrl`: SCAN (KEYS would block a shared
 * server), then DEL. The dashboard's shared circuits live in a namespace of the run's own, which
 * nobody reads once it stops. A Redis that went away keeps them until they expire.
 */
export async function forgetNamespace(redisUrl: string, namespace: string): Promise<void> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Redis went away: nothing to clean up that it can be asked for.
  } finally {
    redis.disconnect();
  }
}
