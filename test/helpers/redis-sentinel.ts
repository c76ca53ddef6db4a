import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
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

/**
 * A forced failover to the replica whose admin connection is `replicaAdmin`, on `replicaPort`:
 * returns once the sentinel names it master and the `connections` of the circuits (named
 * `shared-circuit:...`) have moved to it.
 */
export async function failOver(
  sentinel: RedisSentinel,
  replicaPort: number,
  replicaAdmin: Redis,
  connections: number,
): Promise<void> {
  await waitUntil(
    'the sentinel starts a failover',
    async () => {
      try {
        await sentinel.admin.call('SENTINEL', 'FAILOVER', MASTER_NAME);
        return true;
      } catch {
        await sleep(200); // NOGOODSLAVE until the sentinel has found the replica
        return false;
      }
    },
    20_000,
  );
  await waitUntil(
    'the sentinel names the replica as master',
    async () => (await sentinel.masterPort()) === replicaPort,
    20_000,
  );
  await waitUntil(
    "the circuits' connections moved to the new master",
    async () => {
      const clients = String(await replicaAdmin.call('CLIENT', 'LIST'));
      return (clients.match(/name=shared-circuit:/g) ?? []).length === connections;
    },
    20_000,
  );
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
