import { Redis } from 'ioredis';
import type { CircuitKeys } from './circuit-keys.ts';
import { LuaScript } from './lua-script.ts';
import { describeRedisError } from './redis-url.ts';
import { FAILURE_SCRIPT, READ_SCRIPT, SUCCESS_SCRIPT, TRIAL_SCRIPT } from './scripts.ts';
import { parseSnapshot, type Snapshot, type TrialReply } from './snapshot.ts';

/** While down, how often to check whether Redis answers again. */
const RESUME_EVERY_MS = 1000;

const SCRIPTS = {
  read: new LuaScript(READ_SCRIPT),
  failure: new LuaScript(FAILURE_SCRIPT),
  success: new LuaScript(SUCCESS_SCRIPT),
  trial: new LuaScript(TRIAL_SCRIPT),
};

/** A transition script, by name; its extra arguments are listed in scripts.ts. */
export type Transition = Exclude<keyof typeof SCRIPTS, 'read'>;

export interface RedisLinkOptions {
  url: string;
  keys: CircuitKeys;
  resetTimeoutMs: number;
  redisTimeoutMs: number;
  connectTimeoutMs: number;
}

/** What the link tells its circuit. */
export interface RedisLinkEvents {
  /** Connected, subscribed, and the current state read: the shared state can be used (again). */
  up(snapshot: Snapshot): void;
  /** Redis went away, or answered too late or not at all. Once per outage. */
  down(reason: string): void;
  /** A change published by any process of the fleet, this one included. */
  change(snapshot: Snapshot): void;
}

/**
 * One circuit's two connections to Redis: commands (the transition scripts) and pub/sub (every
 * process's transitions). It turns ioredis's connection events into up/down, and never throws a
 * Redis error: a failed command reports `down` and resolves undefined.
 */
export class RedisLink {
  readonly #options: RedisLinkOptions;
  readonly #events: RedisLinkEvents;
  readonly #command: Redis;
  readonly #subscriber: Redis;
  #status: 'connecting' | 'up' | 'down' | 'closed' = 'connecting';
  #subscribed = false;
  #syncing = false;
  /** Bumped on every loss, so a command or sync that finishes after one is not taken for current. */
  #generation = 0;
  #startupTimer: NodeJS.Timeout | undefined;
  #resumeTimer: NodeJS.Timeout | undefined;

  constructor(options: RedisLinkOptions, events: RedisLinkEvents) {
    this.#options = options;
    this.#events = events;
    const common = {
      connectTimeout: options.connectTimeoutMs,
      // Fail at once while disconnected (the local breaker takes over) instead of queueing.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResubscribe: false, // #sync subscribes, then reads the state it may have missed
      // Keep trying in the background, at most a second apart, so the shared state resumes soon.
      retryStrategy: (attempt: number) => Math.min(100 * attempt, 1000),
    };
    this.#command = new Redis(options.url, { ...common, commandTimeout: options.redisTimeoutMs });
    // No command timeout here: a subscribed connection waits for messages by design.
    this.#subscriber = new Redis(options.url, common);
    for (const redis of [this.#command, this.#subscriber]) {
      // A listener is required: without one ioredis prints every reconnection error.
      redis.on('error', (error: unknown) => {
        if (this.#status === 'connecting') this.#lose(describeRedisError(error));
      });
      redis.on('close', () => {
        if (redis === this.#subscriber) this.#subscribed = false;
        this.#lose('connection closed');
      });
      redis.on('ready', () => void this.#sync());
    }
    this.#subscriber.on('message', (channel: string, message: string) => {
      if (channel !== options.keys.channel) return;
      try {
        this.#events.change(parseSnapshot(message));
      } catch {
        // not a snapshot: someone else published on the channel
      }
    });
    // A host that accepts the connection but never answers would leave the circuit connecting.
    this.#startupTimer = setTimeout(
      () => this.#lose(`no answer within ${options.connectTimeoutMs} ms`),
      options.connectTimeoutMs,
    );
    this.#startupTimer.unref();
  }

  /** Runs a transition script; undefined if Redis failed (then `down` was reported) or went down meanwhile. */
  async run(
    transition: Transition,
    args: readonly (string | number)[],
  ): Promise<TrialReply | undefined> {
    if (this.#status !== 'up') return undefined;
    const generation = this.#generation;
    try {
      const reply = await this.#script(SCRIPTS[transition], args);
      return generation === this.#generation ? reply : undefined;
    } catch (error) {
      this.#lose(describeRedisError(error));
      return undefined;
    }
  }

  async close(): Promise<void> {
    this.#status = 'closed';
    this.#generation += 1;
    clearTimeout(this.#startupTimer);
    clearInterval(this.#resumeTimer);
    await Promise.all([disconnect(this.#command), disconnect(this.#subscriber)]);
  }

  async #script(script: LuaScript, args: readonly (string | number)[]): Promise<TrialReply> {
    const { keys, resetTimeoutMs } = this.#options;
    const reply = await script.run(
      this.#command,
      [keys.state, keys.lease],
      [keys.channel, resetTimeoutMs, ...args],
    );
    return parseSnapshot(String(reply));
  }

  /**
   * A connection is (back) up. Once both are: subscribe, load the scripts (a restarted Redis has
   * forgotten them), then read the state that changed meanwhile. One at a time: a second 'ready'
   * during a sync is covered by it, as it checks both connections after subscribing.
   */
  async #sync(): Promise<void> {
    if (this.#syncing || this.#status === 'up' || this.#status === 'closed') return;
    this.#syncing = true;
    const generation = this.#generation;
    try {
      if (!this.#subscribed && this.#subscriber.status === 'ready') {
        await this.#subscriber.subscribe(this.#options.keys.channel);
        this.#subscribed = true;
      }
      if (!this.#subscribed || this.#command.status !== 'ready') return;
      await Promise.all(Object.values(SCRIPTS).map((script) => script.load(this.#command)));
      const snapshot = await this.#script(SCRIPTS.read, []);
      if (generation !== this.#generation) return; // lost, or closed, meanwhile
      this.#status = 'up';
      clearTimeout(this.#startupTimer);
      clearInterval(this.#resumeTimer);
      this.#events.up(snapshot);
    } catch (error) {
      if (generation === this.#generation) this.#lose(describeRedisError(error));
    } finally {
      this.#syncing = false;
    }
  }

  #lose(reason: string): void {
    // Even when already down: a sync under way must not report 'up' over a connection just lost.
    this.#generation += 1;
    if (this.#status === 'down' || this.#status === 'closed') return;
    this.#status = 'down';
    clearTimeout(this.#startupTimer);
    // A reconnection brings a 'ready' and a sync; a timed-out command leaves the connection up and
    // brings none, so also try now and then.
    this.#resumeTimer = setInterval(() => {
      if (this.#command.status === 'ready' && this.#subscriber.status === 'ready') {
        void this.#sync();
      }
    }, RESUME_EVERY_MS);
    this.#resumeTimer.unref();
    this.#events.down(reason);
  }
}

/** Disconnects now (QUIT would wait for a Redis that may be gone) and waits for the socket to close. */
async function disconnect(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  const ended = new Promise<void>((resolve) => redis.once('end', () => resolve()));
  redis.disconnect();
  await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
}
