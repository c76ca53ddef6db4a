import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';
import { freePort, spawnRedisProcess } from './redis-process.ts';
import { cleanUp } from './redis.ts';
import { waitUntil } from './timing.ts';

export const MASTER_NAME = 'fleet';

export interface RedisSentinel {
  /** `redis-sentinel://127.0.0.1:<port>/fleet`, for the circuits. */
  readonly url: string;
  /** A connection to the sentinel, for SENTINEL commands. */
  readonly admin: Redis;
  /** The port of the server the sentinel names as master now. */
  masterPort(): Promise<number>;
}

/** A real redis-sentinel on a loopback port that monitors the server on `masterPort` (quorum 1). */
export async function startRedisSentinel(
  t: TestContext,
  masterPort: number,
): Promise<RedisSentinel> {
  const port = await freePort();
  await spawnRedisProcess(t, 'redis-sentinel', port, async (dir) => {
    const config = join(dir, 'sentinel.conf');
    await writeConfig(config, port, masterPort);
    return [config];
  });
  const admin = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  admin.on('error', () => {});
  cleanUp(t, () => admin.disconnect());
  const masterPortNow = async () => {
    const reply = (await admin.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as
      [string, string] | null;
    return Number(reply?.[1] ?? 0);
  };
  await waitUntil(
    'the sentinel knows the master',
    async () => (await masterPortNow()) === masterPort,
  );
  return {
    url: `redis-sentinel://127.0.0.1:${port}/${MASTER_NAME}`,
    admin,
    masterPort: masterPortNow,
  };
}

function writeConfig(path: string, port: number, masterPort: number): Promise<void> {
  return writeFile(
    path,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPort} 1`,
      `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
      `sentinel failover-timeout ${MASTER_NAME} 5000`,
      '',
    ].join('\n'),
  );
}
