import { execFile } from 'node:child_process';
import type { TestContext } from 'node:test';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, spawnRedisProcess } from './redis-process.ts';
import { cleanUp } from './redis.ts';
import { waitUntil } from './timing.ts';

const NODES = 3;

export interface RedisCluster {
  /** `redis-cluster://127.0.0.1:<port>,...`: every node, for the circuits. */
  readonly url: string;
  readonly ports: readonly number[];
}

/**
 * A real 3-master Redis Cluster (no replicas) on loopback ports, built with
 * `redis-cli --cluster create`, torn down when the test ends.
 */
export async function startRedisCluster(t: TestContext): Promise<RedisCluster> {
  const ports: number[] = [];
  for (let i = 0; i < NODES; i += 1) {
    const port = await freePort();
    const busPort = await freePort();
    ports.push(port);
    await spawnRedisProcess(t, 'redis-server', port, (dir) => [
      '--port',
      String(port),
      '--cluster-port',
      String(busPort),
      '--bind',
      '127.0.0.1',
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      `${dir}/nodes.conf`,
      '--cluster-node-timeout',
      '2000',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ]);
  }
  const addresses = ports.map((port) => `127.0.0.1:${port}`);
  await promisify(execFile)('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-yes'], {
    timeout: 30_000,
  });
  for (const port of ports) {
    const node = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    node.on('error', () => {});
    cleanUp(t, () => node.disconnect());
    await waitUntil(
      `cluster node ${port} reports the cluster ok`,
      async () => /cluster_state:ok/.test(String(await node.call('CLUSTER', 'INFO'))),
      20_000,
    );
  }
  return { url: `redis-cluster://${addresses.join(',')}`, ports };
}
