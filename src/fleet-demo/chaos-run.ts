import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { startFaultProxy, type FaultProxy } from '../faults/fault-proxy.ts';
import { deleteNamespace } from './namespace-keys.ts';
import { workerConfig, type WorkerRun } from './run-mode.ts';
import { allClosedSince, stopWorkers, WorkerProcess } from './worker-process.ts';
import { epochNow } from './worker-protocol.ts';
import { ServerSwitch } from '../server/server-switch.ts';
import { chaosSchedule, cutOffMs, type ChaosAction } from './chaos-schedule.ts';

/** The Redis timeout of the workers' circuits (SharedCircuit's default). */
export const WORKER_REDIS_TIMEOUT_MS = 500;

export interface ChaosOptions {
  workers: number;
  failures: number;
  resetTimeoutMs: number;
  intervalMs: number;
  requestTimeoutMs: number;
  /** A Redis on this machine: the fault proxies forward to it over loopback. */
  redisUrl: string;
}

/** One outage of the dependency, in epoch milliseconds, and how long workers were cut off during it. */
export interface ChaosOutage {
  downAt: number;
  upAt: number;
  /** Each fault that cut one worker off from Redis for longer than the Redis timeout, in ms. */
  cutOffs: number[];
}

/** A fault as it was applied: when (epoch ms) and what. */
export interface AppliedFault {
  at: number;
  action: ChaosAction;
}

export interface ChaosRun {
  startAt: number;
  outages: ChaosOutage[];
  faults: AppliedFault[];
  workers: WorkerRun[];
}

/**
 * Runs the chaos schedule: worker processes share one circuit through Redis, each through a fault
 * proxy of its own, while the dependency dies and recovers and the proxies inject faults.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosRun> {
  await using server = await ServerSwitch.create({ host: '127.0.0.1' });
  await server.turnOn();
  const namespace = `fleet-chaos-${randomUUID().slice(0, 8)}`;
  const redisTarget = new URL(options.redisUrl);
  const proxies: FaultProxy[] = [];
  const admin = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  admin.on('error', () => {});
  const lifts: Promise<void>[] = [];
  const workers: WorkerProcess[] = [];
  try {
    for (let i = 0; i < options.workers; i += 1) {
      proxies.push(await startFaultProxy({ targetPort: Number(redisTarget.port || 6379) }));
    }
    await admin.connect();
    for (const [i, proxy] of proxies.entries()) {
      const viaProxy = new URL(options.redisUrl);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      workers.push(
        new WorkerProcess(
          workerConfig(i + 1, options, {
            mode: 'shared',
            serverUrl: server.url,
            redisUrl: viaProxy.href,
            namespace,
            events: false,
          }),
        ),
      );
    }
    await Promise.all(workers.map((worker) => worker.ready));
    const startAt = epochNow() + 50;
    for (const worker of workers) worker.send({ type: 'start', at: startAt });
    await sleep(startAt - epochNow());

    const faults: AppliedFault[] = [];
    const outages: ChaosOutage[] = [];
    let outage: { downAt: number; cutOffs: number[] } | undefined;
    const apply = async (action: ChaosAction) => {
      faults.push({ at: epochNow(), action });
      switch (action.kind) {
        case 'reset-all':
          for (const proxy of proxies) proxy.resetConnections();
          return;
        case 'lose-key':
          await deleteNamespace(admin, namespace);
          return;
        case 'fault': {
          const proxy = proxies[action.worker - 1];
          if (proxy === undefined) return;
          proxy.fault = action.fault;
          outage?.cutOffs.push(cutOffMs(action, WORKER_REDIS_TIMEOUT_MS));
          lifts.push(sleep(action.forMs).then(() => void (proxy.fault = { kind: 'none' })));
        }
      }
    };

    for (const phase of chaosSchedule(options.workers)) {
      if (phase.dependency === 'down' && outage === undefined) {
        // Down from the moment the port starts closing, as in the fleet demo.
        outage = { downAt: epochNow(), cutOffs: [] };
        await server.turnOff();
      } else if (phase.dependency === 'up' && outage !== undefined) {
        await Promise.all(lifts.splice(0)); // every fault of the outage lifted
        await server.turnOn();
        const upAt = epochNow();
        outages.push({ ...outage, upAt });
        outage = undefined;
        await allClosedSince(workers, upAt, options.resetTimeoutMs * 2 + 3000);
      }
      const phaseStart = epochNow();
      for (const step of phase.steps) {
        await sleep(Math.max(0, phaseStart + step.atMs - epochNow()));
        await apply(step.action);
      }
      await sleep(Math.max(0, phaseStart + phase.ms - epochNow()));
    }
    await Promise.all(lifts.splice(0));

    const stopped = await stopWorkers(workers);
    return {
      startAt,
      outages,
      faults,
      workers: stopped,
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.exit(5000)));
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await deleteNamespace(admin, namespace).catch(() => 0);
    admin.disconnect();
  }
}
