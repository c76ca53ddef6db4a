import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanUp } from './redis.ts';
import { answersPing } from './redis-server.ts';

/** A redis-server or redis-sentinel process of a test, in a folder of its own; killed when the test ends. */
export interface RedisProcess {
  readonly port: number;
  readonly dir: string;
  stop(): Promise<void>;
}

/** Spawns `command args` (which must listen on `port`) and waits until it answers PING. */
export async function spawnRedisProcess(
  t: TestContext,
  command: string,
  port: number,
  args: (dir: string) => string[] | Promise<string[]>,
): Promise<RedisProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-test-'));
  const child: ChildProcess = spawn(command, await args(dir), { cwd: dir, stdio: 'ignore' });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
  };
  cleanUp(t, async () => {
    await stop();
    await rm(dir, { recursive: true, force: true });
  });
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`${command} on port ${port} did not answer PING`);
    }
    await sleep(20);
  }
  return { port, dir, stop };
}

/** A free loopback port, below 55536 so that port + 10000 (Redis's default bus port) is valid. */
export async function freePort(): Promise<number> {
  for (;;) {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    server.close();
    if (address === null || typeof address === 'string') throw new Error('no free port');
    if (address.port < 55536) return address.port;
  }
}
