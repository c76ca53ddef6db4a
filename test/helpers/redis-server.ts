import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { onPath, REDIS_INSTALL_HINT } from '../../src/fleet-demo/redis-availability.ts';

/** A private redis-server on a loopback port, for tests and benchmarks. Stop and start it at will. */
export interface RedisServer extends AsyncDisposable {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly isRunning: boolean;
  /** Starts it again on the same port, with an empty data set (nothing is persisted). */
  start(): Promise<void>;
  /** Kills it and waits for the process to end. Idempotent. */
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /** Default `redis-server` on the PATH. */
  command?: string;
  /** How long to wait for the first PONG. Default 5000 ms. */
  startTimeoutMs?: number;
}

/** Spawns `redis-server` on a free loopback port, persistence off, and waits until it answers PING. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const command = options.command ?? 'redis-server';
  if (!command.includes('/') && !onPath(command)) {
    // One line instead of an uncaught `spawn redis-server ENOENT`.
    throw new Error(`${command} is not on the PATH; ${REDIS_INSTALL_HINT}`);
  }
  const startTimeoutMs = options.startTimeoutMs ?? 5000;
  const port = await freePort();
  let child: ChildProcess | undefined;
  // A test run that ends without stopping its server must not leave it behind.
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const start = async (): Promise<void> => {
    if (child) return;
    const started = spawn(
      command,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { cwd: tmpdir(), stdio: 'ignore' },
    );
    child = started;
    started.once('exit', () => {
      if (child === started) child = undefined;
    });
    const deadline = Date.now() + startTimeoutMs;
    while (!(await answersPing(port))) {
      if (child !== started || Date.now() > deadline) {
        started.kill('SIGKILL');
        throw new Error(
          `redis-server on port ${port} did not answer PING within ${startTimeoutMs} ms`,
        );
      }
      await sleep(20);
    }
  };

  const stop = async (): Promise<void> => {
    const running = child;
    if (!running) return;
    child = undefined;
    const exited = running.exitCode === null ? once(running, 'exit') : Promise.resolve();
    running.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get isRunning() {
      return child !== undefined;
    },
    start,
    stop,
    async [Symbol.asyncDispose]() {
      process.off('exit', killOnExit);
      await stop();
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** One raw PING over a fresh socket: true on +PONG. */
export function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}
