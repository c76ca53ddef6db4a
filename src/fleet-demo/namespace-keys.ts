import { Redis } from 'ioredis';

/**
 * Deletes every key of a namespace (the package puts `<namespace>:` before each of its keys): the
 * demo's "the key was lost" fault, and its clean-up after a run. SCAN, not KEYS, so a Redis
 * shared with other work is not blocked.
 */
export async function deleteNamespace(redis: Redis, namespace: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

/**
 * The same from a URL, on a connection of its own that gives up at once: the demo's and the
 * dashboard's clean-up when they stop. A Redis that went away keeps the keys until they expire.
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
    await deleteNamespace(redis, namespace);
  } catch {
    // Redis went away: nothing to clean up that it can be asked for.
  } finally {
    redis.disconnect();
  }
}
