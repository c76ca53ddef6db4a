import type { Cluster, Redis } from 'ioredis';
import type { CircuitKeys } from './circuit-keys.ts';
import {
  acquireConnection,
  SCRIPTS,
  type ConnectionMember,
  type RedisConnection,
  type TransitionScript,
} from './redis-connection.ts';
import type { Snapshot, TrialReply } from './snapshot.ts';

export type { TransitionScript } from './redis-connection.ts';

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

/** What the link tells its circuit. */
export interface RedisLinkEvents {
  /** Connected, subscribed, writable, and the current state read: the shared state can be used (again). */
  up(snapshot: Snapshot): void;
  /** Redis went away, answered too late or not at all, or refused a write. Once per outage. */
  down(reason: string): void;
  /** A change published by any process of the fleet, this one included. */
  change(snapshot: Snapshot): void;
}

/**
 * One circuit's use of the process's connection pair to Redis (redis-connection.ts): runs its
 * transition scripts and hears its channel. Never throws a Redis error: a failed command reports
 * `down` and resolves undefined.
 */
export class RedisLink {
  readonly #connection: RedisConnection;
  readonly #member: ConnectionMember;
  #closed = false;

  constructor(options: RedisLinkOptions, events: RedisLinkEvents) {
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
  async run(
    transition: TransitionScript,
    args: readonly (string | number)[],
  ): Promise<TrialReply | undefined> {
    if (this.#closed) return undefined;
    return this.#connection.run(this.#member, SCRIPTS[transition], args);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#connection.remove(this.#member);
  }
}
