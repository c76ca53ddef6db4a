import type { Cluster, Redis } from 'ioredis';
import type { CircuitKeys } from './circuit-keys.ts';
import {
  acquireConnection,
  SCRIPTS,
  type ConnectionMember,
  type RedisConnection,
} from './redis-connection.ts';
import { redactUrl } from './redis-url.ts';
import type { TrialReply } from './snapshot.ts';
import type { CircuitStore, StoreEvents, Transition } from './store/circuit-store.ts';

export interface RedisLinkOptions {
  url: string;
  client: Redis | Cluster | undefined;
  keys: CircuitKeys;
  resetTimeoutMs: number;
  halfOpenTrials: number;
  successThreshold: number;
  redisTimeoutMs: number;
  connectTimeoutMs: number;
}

/**
 * The store of a fleet: one circuit's use of the process's connection pair to Redis
 * (redis-connection.ts). Runs its transitions as Lua scripts and hears its channel. `up` comes
 * once connected, subscribed, writable and the state read; `down` when Redis goes away, answers
 * too late or not at all, or refuses a write, once per outage.
 */
export class RedisLink implements CircuitStore {
  readonly where: string;
  readonly #connection: RedisConnection;
  readonly #member: ConnectionMember;
  #closed = false;

  constructor(options: RedisLinkOptions, events: StoreEvents) {
    this.where =
      options.client === undefined
        ? `Redis at ${redactUrl(options.url)}`
        : `Redis at ${clientAddress(options.client)} (your client)`;
    this.#member = {
      keys: options.keys,
      resetTimeoutMs: options.resetTimeoutMs,
      halfOpenTrials: options.halfOpenTrials,
      successThreshold: options.successThreshold,
      up: (snapshot) => events.up(snapshot),
      down: (reason) => events.down(reason),
      change: (snapshot) => events.change(snapshot),
    };
    this.#connection = acquireConnection({
      url: options.url,
      client: options.client,
      redisTimeoutMs: options.redisTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
    });
    this.#connection.add(this.#member);
  }

  /** Runs a transition script; undefined if Redis failed (then `down` was reported) or went down meanwhile. */
  async run(transition: Transition): Promise<TrialReply | undefined> {
    if (this.#closed) return undefined;
    return this.#connection.run(this.#member, SCRIPTS[transition.type], scriptArgs(transition));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#connection.remove(this.#member);
  }
}

/** A transition's own ARGV, after the four every script takes (scripts.ts says each one's order). */
function scriptArgs(transition: Transition): (string | number)[] {
  switch (transition.type) {
    case 'failure': {
      const { threshold, token, id, spell, processId, minProcesses, backoff } = transition;
      const args = [threshold, token, id, spell, processId, minProcesses];
      return backoff === undefined ? args : [...args, backoff.factor, backoff.maxMs, backoff.draw];
    }
    case 'success':
      return [transition.token];
    case 'trial':
    case 'renew':
      return [transition.leaseMs, transition.token];
    case 'rate': {
      const t = transition;
      return [
        t.calls,
        t.failures,
        t.processId,
        t.bucketMs,
        t.windowMs,
        t.failureRatio,
        t.minimumThroughput,
        t.minProcesses,
        t.spell,
      ];
    }
  }
}

/** Where a caller's own client connects, for log lines: never its password. */
function clientAddress(client: Redis | Cluster): string {
  if (client.isCluster) return 'a Redis Cluster';
  const { host, port, db, path } = (client as Redis).options;
  if (path !== undefined && path !== '') return `unix:${path}`;
  return `redis://${host ?? '127.0.0.1'}:${port ?? 6379}/${db ?? 0}`;
}
