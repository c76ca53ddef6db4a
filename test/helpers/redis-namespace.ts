import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';
import { deleteNamespace as deleteKeys } from '../../src/fleet-demo/namespace-keys.ts';
import { cleanUp, uniqueNamespace } from './redis.ts';
import { FLEET_DEADLINE_MS } from './timing.ts';

/** `namespace:*` as a SCAN pattern, glob characters escaped (a namespace allows none, but still). */
function patternOf(namespace: string): string {
  return `${namespace.replace(/[*?[\]\\]/g, '\\$&')}:*`;
}

async function withRedis<T>(url: string, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: FLEET_DEADLINE_MS,
  });
  redis.on('error', () => {}); // the command's own rejection says what went wrong
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

/** Every key of `namespace` on the Redis at `url`, found with SCAN (KEYS would block a shared server). */
export function namespaceKeys(url: string, namespace: string): Promise<string[]> {
  return withRedis(url, async (redis) => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', patternOf(namespace), 'COUNT', 500);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  });
}

/** Deletes every key of `namespace` from the Redis at `url` (SCAN, then DEL); returns how many. */
export async function deleteNamespace(url: string, namespace: string): Promise<number> {
  return withRedis(url, (redis) => deleteKeys(redis, namespace));
}

/**
 * A namespace no other test uses, whose keys are deleted from the Redis at each of `urls` when the
 * test ends, so a shared REDIS_URL keeps nothing of the run. Ask for it before the circuits that use
 * it: teardown runs last-in, first-out (helpers/redis.ts), so they are disposed before the keys go,
 * and a Redis the test started itself is stopped after.
 */
export function cleanedNamespace(
  t: TestContext,
  urls: string | readonly string[],
  test: string,
): string {
  const namespace = uniqueNamespace(test);
  cleanUp(t, async () => {
    for (const url of typeof urls === 'string' ? [urls] : urls)
      await deleteNamespace(url, namespace);
  });
  return namespace;
}
