import type { Cluster, Redis } from 'ioredis';
import { isSharedCircuitOptionsError } from './errors/options-error.ts';
import { RedisUnreachableError } from './errors/redis-unreachable-error.ts';
import { isUnknownCircuitError, UnknownCircuitError } from './errors/unknown-circuit-error.ts';
import { circuitKeys } from './circuit-keys.ts';
import { LuaScript } from './lua-script.ts';
import { CONTROL_SCRIPT } from './scripts.ts';
import { checkName } from './shared-circuit-options.ts';
import { describeRedisError, redactUrl, redisUrlFromEnv } from './redis-url.ts';
import { createRedisClient, parseRedisTarget } from './redis-target.ts';

/** What an operator can do to a circuit; `status` changes nothing. */
export type ControlAction = 'status' | 'isolate' | 'release' | 'reset';

/** One circuit as Redis holds it now. Times are from Redis's clock, relative to now. */
export interface CircuitStatus {
  name: string;
  state: 'closed' | 'open' | 'half-open';
  /** Isolated by hand: open, no trial, every call rejected until released. */
  forced: boolean;
  /** Consecutive failures counted while closed (the count that opened it, while open). */
  failures: number;
  /**
   * Milliseconds until a trial may start: 0 when one may start now; null when closed or isolated
   * (no trial is due).
   */
  trialInMs: number | null;
  /** Trial calls running now in the fleet, and trial successes counted in this half-open spell. */
  trialsRunning: number;
  successes: number;
  /** The settings the circuit's processes last saved. */
  resetTimeoutMs: number;
  halfOpenTrials: number;
  successThreshold: number;
}

export interface CircuitControlOptions {
  /** As SharedCircuitOptions.redisUrl. Default: REDIS_URL, else `redis://127.0.0.1:6379`. */
  redisUrl?: string;
  /** The namespace of the circuits to control. Default `circuit`. */
  namespace?: string;
  /** How long to wait for Redis to answer before giving up. Default 2000 ms. */
  timeoutMs?: number;
}

const CONTROL = new LuaScript(CONTROL_SCRIPT);

/**
 * An operator's hand on the shared circuits of one namespace: list them, read one, isolate it
 * (forced open until released), release it, reset it (closed, count cleared). Every change is
 * saved in Redis (an isolation survives restarts of every process) and published on the
 * circuit's channel, so each process of the fleet follows it as it follows any transition.
 */
export class CircuitControl {
  readonly #url: string;
  readonly #namespace: string;
  readonly #db: number;
  readonly #redis: Redis | Cluster;
  readonly #timeoutMs: number;
  #connected: Promise<void> | undefined;
  #lastError: Error | undefined;

  constructor(options: CircuitControlOptions = {}) {
    this.#url = options.redisUrl ?? redisUrlFromEnv();
    const target = parseRedisTarget(this.#url);
    this.#namespace = checkName('namespace', options.namespace ?? 'circuit');
    this.#db = target.kind === 'cluster' ? 0 : target.db;
    const timeoutMs = options.timeoutMs ?? 2000;
    this.#timeoutMs = timeoutMs;
    this.#redis = createRedisClient(target, {
      connectTimeout: timeoutMs,
      commandTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      connectionName: 'shared-circuit:control',
    });
    // Kept to say why, when the connection ends; the command that needed it reports it.
    this.#redis.on('error', (error: Error) => (this.#lastError = error));
  }

  /** Every circuit of the namespace, by name. */
  async list(): Promise<CircuitStatus[]> {
    const names = new Set<string>();
    const pattern = `${this.#namespace}:{*}:state`;
    await this.#call(async () => {
      for (const node of this.#nodes()) {
        let cursor = '0';
        do {
          const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
          cursor = next;
          for (const key of keys) {
            const name = /\{([^}]*)\}:state$/.exec(key)?.[1];
            if (name !== undefined) names.add(name);
          }
        } while (cursor !== '0');
      }
    });
    const statuses: CircuitStatus[] = [];
    for (const name of [...names].sort()) {
      try {
        statuses.push(await this.status(name));
      } catch (error) {
        if (!isUnknownCircuitError(error)) throw error; // forgotten since the scan
      }
    }
    return statuses;
  }

  status(name: string): Promise<CircuitStatus> {
    return this.#run(name, 'status');
  }

  /** Forced open: no trial, every call of every process rejected, until `release` (or `reset`). */
  isolate(name: string): Promise<CircuitStatus> {
    return this.#run(name, 'isolate');
  }

  /** Ends an isolation: open with its trial due at once, so the first calls after it are trials. */
  release(name: string): Promise<CircuitStatus> {
    return this.#run(name, 'release');
  }

  /** Closed now, failure count cleared (an isolation too); it then counts failures as usual. */
  reset(name: string): Promise<CircuitStatus> {
    return this.#run(name, 'reset');
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
  }

  async #run(name: string, action: ControlAction): Promise<CircuitStatus> {
    const circuit = checkName('circuit name', name, true);
    const keys = circuitKeys(this.#namespace, circuit, this.#db);
    const reply = await this.#call(() =>
      CONTROL.run(
        this.#redis,
        [keys.state, keys.lease, keys.probe, keys.rate],
        [keys.channel, action],
      ),
    );
    const record = JSON.parse(String(reply)) as Record<string, unknown>;
    if (record['unknown'] === true) {
      throw new UnknownCircuitError(
        `no circuit "${circuit}" in namespace "${this.#namespace}" (list shows the circuits there)`,
      );
    }
    return toStatus(circuit, record);
  }

  #nodes(): (Redis | Cluster)[] {
    return this.#redis.isCluster ? (this.#redis as Cluster).nodes('master') : [this.#redis];
  }

  async #call<T>(command: () => Promise<T>): Promise<T> {
    try {
      this.#connected ??= this.#connect();
      await this.#connected;
      return await command();
    } catch (error) {
      if (isUnknownCircuitError(error) || isSharedCircuitOptionsError(error)) throw error;
      throw new RedisUnreachableError(
        `Redis at ${redactUrl(this.#url)} did not answer: ${describeRedisError(error)}`,
        { cause: error },
      );
    }
  }

  /** Ready, or the first error (or silence for the timeout) that says Redis will not answer. */
  async #connect(): Promise<void> {
    const redis = this.#redis;
    if (redis.status === 'ready') return;
    if (redis.status === 'end') throw this.#lastError ?? new Error('connection closed');
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        redis.once('ready', () => resolve());
        redis.once('end', () => reject(this.#lastError ?? new Error('connection closed')));
        timer = setTimeout(
          () => reject(new Error(`no answer within ${this.#timeoutMs} ms`)),
          this.#timeoutMs,
        );
      });
    } finally {
      clearTimeout(timer);
    }
  }
}

function toStatus(name: string, record: Record<string, unknown>): CircuitStatus {
  const number = (field: string) => Number(record[field] ?? 0);
  const state = record['state'] as CircuitStatus['state'];
  const forced = record['forced'] === true;
  const trialInMs =
    state === 'closed' || forced
      ? null
      : state === 'open'
        ? number('retryInMs')
        : number('leaseMs');
  return {
    name,
    state,
    forced,
    failures: number('failures'),
    trialInMs,
    trialsRunning: number('trialsRunning'),
    successes: number('successes'),
    resetTimeoutMs: number('resetTimeoutMs'),
    halfOpenTrials: number('halfOpenTrials'),
    successThreshold: number('successThreshold'),
  };
}
