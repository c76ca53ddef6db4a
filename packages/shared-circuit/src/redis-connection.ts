import type { Cluster, Redis } from 'ioredis';
import type { CircuitKeys } from './circuit-keys.ts';
import { LuaScript } from './lua-script.ts';
import {
  clusterEnabled,
  clusterNode,
  clusterRedirection,
  deniedCommand,
  refusalOnConnect,
  type PlainNode,
} from './redis-refusal.ts';
import { describeRedisError } from './redis-url.ts';
import { createRedisClient, parseRedisTarget, type ClientOptions } from './redis-target.ts';
import {
  FAILURE_SCRIPT,
  READ_SCRIPT,
  RATE_SCRIPT,
  RENEW_SCRIPT,
  SUCCESS_SCRIPT,
  TRIAL_SCRIPT,
} from './scripts.ts';
import { parseSnapshot, SnapshotError, type Snapshot, type TrialReply } from './snapshot.ts';

/** While down, how often to check whether Redis answers (and accepts writes) again. */
const RESUME_EVERY_MS = 1000;

/**
 * A circuit Redis answered with an error is read again after a second, then twice as long each
 * time up to this: a script that fails on every failure does not flap the circuit every second.
 */
const MAX_REFUSED_RETRY_MS = 30_000;

/**
 * Circuits whose state is read at once when they join or the connection comes back: 10,000 reads
 * sent together would queue behind each other past the Redis timeout and pass for an outage.
 */
const READ_BATCH = 100;

export const SCRIPTS = {
  read: new LuaScript(READ_SCRIPT),
  failure: new LuaScript(FAILURE_SCRIPT),
  success: new LuaScript(SUCCESS_SCRIPT),
  trial: new LuaScript(TRIAL_SCRIPT),
  renew: new LuaScript(RENEW_SCRIPT),
  rate: new LuaScript(RATE_SCRIPT),
};

/** The Lua scripts that change a circuit's state (every script but `read`). */
export type TransitionScript = Exclude<keyof typeof SCRIPTS, 'read'>;

export interface ConnectionOptions {
  url: string;
  redisTimeoutMs: number;
  connectTimeoutMs: number;
  /** The caller's own client: commands run on it, pub/sub on a duplicate; it is never closed here. */
  client: Redis | Cluster | undefined;
}

/** One circuit using a connection: its keys, and what the connection tells it. */
export interface ConnectionMember {
  readonly keys: CircuitKeys;
  readonly resetTimeoutMs: number;
  readonly halfOpenTrials: number;
  readonly successThreshold: number;
  /** Connected, subscribed, writable, and the circuit's state read: the shared state can be used (again). */
  up(snapshot: Snapshot): void;
  /**
   * Redis went away, answered too late, or refused a write. Once per outage. `reason` completes
   * "Redis at <url> ...": `unreachable (<why>)`, or what Redis refused.
   */
  down(reason: string): void;
  /** A change published by any process of the fleet, this one included. */
  change(snapshot: Snapshot): void;
}

type Status = 'connecting' | 'up' | 'blip' | 'down' | 'closed';

const connections = new Map<string | Redis | Cluster, RedisConnection>();

/**
 * The connection pair every circuit of this process with these options uses: 100 circuits on one
 * Redis open 2 connections, not 200. Released by the last circuit, it closes. Circuits given the
 * same client of the caller's share it the same way.
 */
export function acquireConnection(options: ConnectionOptions): RedisConnection {
  const key =
    options.client ??
    JSON.stringify([options.url, options.redisTimeoutMs, options.connectTimeoutMs]);
  let connection = connections.get(key);
  if (connection === undefined) {
    connection = new RedisConnection(options, () => connections.delete(key));
    connections.set(key, connection);
  }
  return connection;
}

/**
 * Two connections to Redis, commands (the transition scripts) and pub/sub (every process's
 * transitions), shared by the circuits of a process. It turns ioredis's connection events into
 * up/down for each circuit, and never throws a Redis error: a failed command reports `down` and
 * resolves undefined.
 *
 * A connection that drops and comes back within the Redis timeout (a killed client, a server
 * `timeout`, a proxy reset) is a blip, not an outage: nobody is told, commands wait for it, and a
 * command cut off by the drop is sent once more.
 */
export class RedisConnection {
  readonly #options: ConnectionOptions;
  readonly #onEmpty: () => void;
  readonly #command: Redis | Cluster;
  readonly #subscriber: Redis | Cluster;
  /** The command client is the caller's: bound each command ourselves, detach rather than close. */
  readonly #borrowed: boolean;
  readonly #detach: (() => void)[] = [];
  readonly #members = new Set<ConnectionMember>();
  /**
   * The members by channel, so a message, and a removal, cost what the circuits on that channel
   * cost, not what all of them do (a SharedCircuits of 10,000 keys sweeping its idle ones).
   */
  readonly #byChannel = new Map<string, Set<ConnectionMember>>();
  /** Members told `up` since the connection last came up. */
  readonly #upMembers = new Set<ConnectionMember>();
  readonly #subscribed = new Set<string>();
  /**
   * Circuits Redis answered with an error rather than a snapshot (their key of another type, a
   * script's bug, a reply of another format): on their local breakers, read again now and then.
   * The other circuits on the connection are not affected.
   */
  readonly #refused = new Map<
    ConnectionMember,
    { retryMs: number; timer: NodeJS.Timeout | undefined }
  >();
  /** Circuits added while up, waiting for their state to be read (a batch at a time). */
  readonly #joining = new Set<ConnectionMember>();
  #pumping = false;
  #status: Status = 'connecting';
  #lastReason = unreachable('not connected yet');
  /**
   * Set when the server refuses what the URL asks for (a database it does not have): no
   * reconnection mends that, so the circuits stay on their local breakers without retrying.
   */
  #refusal: string | undefined;
  #syncing = false;
  /** Asking the server why it closed a new connection (refusalOnConnect): once at a time. */
  #asking = false;
  /** Bumped on every outage, so a command or sync that finishes after one is not taken for current. */
  #generation = 0;
  #startupTimer: NodeJS.Timeout | undefined;
  #graceTimer: NodeJS.Timeout | undefined;
  #resumeTimer: NodeJS.Timeout | undefined;
  #settled: Promise<void>;
  #settle: () => void = () => {};

  constructor(options: ConnectionOptions, onEmpty: () => void) {
    this.#options = options;
    this.#onEmpty = onEmpty;
    this.#settled = this.#newSettled();
    if (options.client === undefined) {
      [this.#command, this.#subscriber] = ownClients(options);
      this.#borrowed = false;
    } else {
      this.#command = options.client;
      this.#subscriber = duplicateForPubSub(options.client);
      this.#borrowed = true;
    }
    for (const redis of [this.#command, this.#subscriber]) {
      // A listener is required: without one ioredis prints every reconnection error.
      const onError = (error: unknown) => {
        // ioredis sends SELECT on connecting, and on an error carries on in database 0: the
        // circuit's state would land in another database than the URL's, so never go up.
        const db = selectRefused(error);
        if (db !== undefined) {
          this.#refusal = `has no database ${db} (${describeRedisError(error)})`;
          this.#lose(this.#refusal);
          return;
        }
        // Refused: nothing listens there any more, an outage rather than a blip.
        const code = (error as { code?: unknown }).code;
        const refused = code === 'ECONNREFUSED';
        if (this.#status === 'connecting' && (code === 'EPIPE' || code === 'ECONNRESET')) {
          this.#loseSayingWhy(error);
        } else if (this.#status === 'connecting' || (this.#status === 'blip' && refused)) {
          this.#lose(unreachable(describeRedisError(error)));
        }
      };
      const onClose = () => {
        if (redis === this.#subscriber) this.#subscribed.clear();
        this.#blip();
      };
      const onReady = () => void this.#sync();
      redis.on('error', onError);
      redis.on('close', onClose);
      redis.on('ready', onReady);
      this.#detach.push(() => {
        redis.off('error', onError);
        redis.off('close', onClose);
        redis.off('ready', onReady);
      });
    }
    if (this.#borrowed) {
      // The caller's client may be connected already (no 'ready' to come) or waiting to be.
      if (this.#command.status === 'wait') this.#command.connect().catch(() => {});
      else if (this.#command.status === 'ready') queueMicrotask(() => void this.#sync());
    }
    this.#subscriber.on('message', (channel: string, message: string) => {
      const heard = this.#byChannel.get(channel);
      if (heard === undefined) return;
      let snapshot: Snapshot;
      try {
        snapshot = parseSnapshot(message);
      } catch {
        return; // not a snapshot: someone else published on the channel
      }
      for (const member of heard) {
        if (this.#upMembers.has(member)) member.change(snapshot);
      }
    });
    // A host that accepts the connection but never answers would leave the circuits connecting.
    this.#startupTimer = setTimeout(
      () => this.#lose(unreachable(`no answer within ${options.connectTimeoutMs} ms`)),
      options.connectTimeoutMs,
    );
    this.#startupTimer.unref();
  }

  add(member: ConnectionMember): void {
    this.#members.add(member);
    const channel = member.keys.channel;
    const heard = this.#byChannel.get(channel);
    if (heard === undefined) this.#byChannel.set(channel, new Set([member]));
    else heard.add(member);
    if (this.#status === 'up') void this.#join(member);
    else if (this.#status === 'down') member.down(this.#lastReason);
  }

  async remove(member: ConnectionMember): Promise<void> {
    this.#members.delete(member);
    this.#upMembers.delete(member);
    this.#joining.delete(member);
    clearTimeout(this.#refused.get(member)?.timer);
    this.#refused.delete(member);
    const channel = member.keys.channel;
    const heard = this.#byChannel.get(channel);
    heard?.delete(member);
    if (heard?.size === 0) this.#byChannel.delete(channel);
    if (this.#members.size > 0) {
      // A process that makes and disposes circuits as it goes must not pile up subscriptions.
      if (!this.#byChannel.has(channel) && this.#subscribed.delete(channel)) {
        await this.#subscriber.unsubscribe(channel).catch(() => {});
      }
      return;
    }
    this.#onEmpty();
    await this.#close();
  }

  /**
   * Runs a script for `member`; undefined if Redis failed (then `down` was reported) or went down
   * meanwhile. During a blip it waits for the connection to come back (at most the Redis timeout).
   */
  async run(
    member: ConnectionMember,
    script: LuaScript,
    args: readonly (string | number)[],
  ): Promise<TrialReply | undefined> {
    for (let attempt = 0; ; attempt += 1) {
      if (this.#status === 'blip') await this.#settled;
      if (this.#status !== 'up' || !this.#upMembers.has(member)) return undefined;
      const generation = this.#generation;
      try {
        const reply = await this.#script(member, script, args);
        return generation === this.#generation ? reply : undefined;
      } catch (error) {
        if (generation !== this.#generation) return undefined;
        const answer = answerError(error);
        if (answer !== undefined) {
          this.#refuse(member, answer);
          return undefined;
        }
        if (isDroppedConnection(error) && attempt === 0) {
          this.#blip();
          continue;
        }
        this.#lose(this.#outage(error));
        return undefined;
      }
    }
  }

  /**
   * Why a failed command takes every circuit of the connection local: the user's ACL or a cluster
   * node behind a plain URL (the same for every circuit; the resume checks it again quietly), else
   * an outage.
   */
  #outage(error: unknown): string {
    const denied = deniedCommand(error);
    if (denied !== undefined) return denied;
    const redirection = clusterRedirection(error);
    const node = this.#plainNode();
    if (redirection !== undefined && node !== undefined) return clusterNode(redirection, node);
    return unreachable(describeRedisError(error));
  }

  /** The node a plain client connects to; undefined for a cluster client. */
  #plainNode(): PlainNode | undefined {
    if (this.#command.isCluster) return undefined;
    if (this.#borrowed) {
      const { host, port, tls } = (this.#command as Redis).options;
      return { host: host ?? '127.0.0.1', port: port ?? 6379, tls: tls !== undefined };
    }
    const target = parseRedisTarget(this.#options.url);
    if (target.kind !== 'server') return undefined;
    const url = new URL(target.url);
    return {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || 6379),
      tls: url.protocol === 'rediss:',
    };
  }

  /**
   * A plain client connected to a Redis Cluster node: INFO says so before any script can get a
   * MOVED for a circuit whose slot lives elsewhere. A user denied INFO leaves it to that MOVED.
   */
  async #askClusterNode(): Promise<string | undefined> {
    const node = this.#plainNode();
    if (node === undefined) return undefined;
    let info: string;
    try {
      const asked = (this.#command as Redis).info('cluster');
      info = this.#borrowed ? await bounded(asked, this.#options.redisTimeoutMs) : await asked;
    } catch (error) {
      if (error instanceof Error && error.name === 'ReplyError') return undefined;
      throw error;
    }
    return clusterEnabled(info) ? clusterNode('cluster_enabled:1', node) : undefined;
  }

  async #close(): Promise<void> {
    this.#setStatus('closed');
    this.#generation += 1;
    clearTimeout(this.#startupTimer);
    clearTimeout(this.#graceTimer);
    clearInterval(this.#resumeTimer);
    for (const { timer } of this.#refused.values()) clearTimeout(timer);
    for (const detach of this.#detach) detach();
    await Promise.all([
      this.#borrowed ? Promise.resolve() : disconnect(this.#command),
      disconnect(this.#subscriber),
    ]);
  }

  async #script(
    member: ConnectionMember,
    script: LuaScript,
    args: readonly (string | number)[],
  ): Promise<TrialReply> {
    const { keys, resetTimeoutMs, halfOpenTrials, successThreshold } = member;
    const running = script.run(
      this.#command,
      [keys.state, keys.lease, keys.probe, keys.rate],
      [keys.channel, resetTimeoutMs, halfOpenTrials, successThreshold, ...args],
    );
    const reply = this.#borrowed
      ? await bounded(running, this.#options.redisTimeoutMs)
      : await running;
    return parseSnapshot(String(reply));
  }

  /**
   * Both connections are (back) up: subscribe, load the scripts (a restarted Redis has forgotten
   * them), then read each circuit's state that changed meanwhile, which also proves Redis accepts
   * writes. One at a time: a second 'ready' during a sync is covered by it, as it checks both
   * connections after subscribing.
   */
  async #sync(): Promise<void> {
    if (this.#syncing || this.#status === 'up' || this.#status === 'closed') return;
    if (this.#refusal !== undefined) return;
    this.#syncing = true;
    const generation = this.#generation;
    try {
      if (this.#subscriber.status !== 'ready' || this.#command.status !== 'ready') return;
      // A plain URL at a cluster node: no circuit can share, however often it reconnects.
      const clusterNodeReason = await this.#askClusterNode();
      if (clusterNodeReason !== undefined) {
        if (generation === this.#generation) this.#lose(clusterNodeReason);
        return;
      }
      const members = [...this.#members];
      await this.#subscribe(members);
      await Promise.all(Object.values(SCRIPTS).map((script) => script.load(this.#command)));
      // A user whose ACL allows scripts but not PUBLISH: each script would fail at its PUBLISH,
      // after its reads passed, and the circuit flap. Ask it directly, on a channel nobody hears.
      const probe = members[0]?.keys.probe;
      if (probe !== undefined) await this.#command.publish(probe, '');
      const snapshots: Read[] = [];
      for (let start = 0; start < members.length; start += READ_BATCH) {
        const batch = members.slice(start, start + READ_BATCH);
        snapshots.push(...(await Promise.all(batch.map((member) => this.#read(member)))));
      }
      if (generation !== this.#generation) return; // lost, or closed, meanwhile
      if (this.#subscriber.status !== 'ready' || this.#command.status !== 'ready') return;
      this.#setStatus('up');
      clearTimeout(this.#startupTimer);
      clearTimeout(this.#graceTimer);
      clearInterval(this.#resumeTimer);
      this.#upMembers.clear();
      this.#joining.clear();
      members.forEach((member, index) => {
        if (this.#members.has(member)) this.#admit(member, snapshots[index]!);
      });
      for (const member of this.#members) {
        if (!this.#upMembers.has(member)) void this.#join(member); // added during the sync
      }
    } catch (error) {
      // A connection dropped mid-sync: its 'ready' brings another. Anything else is an outage.
      if (generation === this.#generation && !isDroppedConnection(error)) {
        this.#lose(this.#outage(error));
      }
    } finally {
      this.#syncing = false;
    }
  }

  /**
   * A circuit added while the connection is up: subscribe to its channel, read its state. Circuits
   * added together (a registry meeting many keys at once) join a batch at a time.
   */
  async #join(member: ConnectionMember): Promise<void> {
    this.#joining.add(member);
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#joining.size > 0 && this.#status === 'up') {
        const batch = [...this.#joining].slice(0, READ_BATCH);
        for (const one of batch) this.#joining.delete(one);
        await this.#joinBatch(batch);
      }
    } finally {
      this.#pumping = false;
    }
  }

  async #joinBatch(members: readonly ConnectionMember[]): Promise<void> {
    const generation = this.#generation;
    try {
      await this.#subscribe(members);
      const snapshots = await Promise.all(members.map((member) => this.#read(member)));
      if (generation !== this.#generation || this.#status !== 'up') return;
      members.forEach((member, index) => {
        if (!this.#members.has(member) || this.#upMembers.has(member)) return;
        this.#admit(member, snapshots[index]!);
      });
    } catch (error) {
      if (generation !== this.#generation) return;
      if (isDroppedConnection(error)) this.#blip();
      else this.#lose(this.#outage(error));
    }
  }

  /** A circuit's state, or what Redis answered instead; an outage throws. */
  async #read(member: ConnectionMember): Promise<Read> {
    try {
      return { snapshot: await this.#script(member, SCRIPTS.read, []) };
    } catch (error) {
      const refused = answerError(error);
      if (refused === undefined) throw error;
      return { refused };
    }
  }

  /** A circuit read: up, unless Redis answered it with an error. */
  #admit(member: ConnectionMember, read: Read): void {
    if ('refused' in read) {
      this.#refuse(member, read.refused);
      return;
    }
    this.#upMembers.add(member);
    member.up(read.snapshot);
  }

  /**
   * Redis answered this circuit with an error: a fault of its own (a key of another type, a
   * script's bug), not an outage, so it alone goes to its local breaker and is read again later.
   */
  #refuse(member: ConnectionMember, reason: string): void {
    this.#upMembers.delete(member);
    const known = this.#refused.get(member);
    clearTimeout(known?.timer);
    const retryMs =
      known === undefined ? RESUME_EVERY_MS : Math.min(known.retryMs * 2, MAX_REFUSED_RETRY_MS);
    const entry = { retryMs, timer: undefined as NodeJS.Timeout | undefined };
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      // While down, the connection's own resume reads every circuit.
      if (this.#status === 'up' && this.#members.has(member)) void this.#join(member);
    }, retryMs);
    entry.timer.unref();
    this.#refused.set(member, entry);
    member.down(reason);
  }

  async #subscribe(members: readonly ConnectionMember[]): Promise<void> {
    const channels = [...new Set(members.map((member) => member.keys.channel))].filter(
      (channel) => !this.#subscribed.has(channel),
    );
    if (channels.length === 0) return;
    await this.#subscriber.subscribe(...channels);
    for (const channel of channels) this.#subscribed.add(channel);
  }

  /** A connection dropped while up: wait up to the Redis timeout for it to come back, quietly. */
  #blip(): void {
    if (this.#status !== 'up') return;
    this.#setStatus('blip');
    this.#graceTimer = setTimeout(
      () =>
        this.#lose(unreachable(`connection lost for more than ${this.#options.redisTimeoutMs} ms`)),
      this.#options.redisTimeoutMs,
    );
    this.#graceTimer.unref();
    // The other connection may be fine, with no 'ready' to come: check now and then.
    void this.#sync();
  }

  /**
   * A new connection closed before it could be used (EPIPE, ECONNRESET): a server at its
   * maxclients says so and hangs up, so ask it what it says to a connection, and name that.
   */
  #loseSayingWhy(error: unknown): void {
    const target = this.#borrowed ? undefined : parseRedisTarget(this.#options.url);
    if (target?.kind !== 'server') return this.#lose(unreachable(describeRedisError(error)));
    if (this.#asking) return;
    this.#asking = true;
    const askFor = Math.min(this.#options.connectTimeoutMs, RESUME_EVERY_MS);
    void refusalOnConnect(target.url, askFor).then((said) => {
      this.#asking = false;
      if (this.#status !== 'connecting') return; // connected meanwhile, or lost for another reason
      this.#lose(said ?? unreachable(describeRedisError(error)));
    });
  }

  #lose(reason: string): void {
    // Even when already down: a sync under way must not report 'up' over a connection just lost.
    this.#generation += 1;
    if (this.#status === 'down' || this.#status === 'closed') return;
    this.#setStatus('down');
    this.#lastReason = reason;
    this.#upMembers.clear();
    clearTimeout(this.#startupTimer);
    clearTimeout(this.#graceTimer);
    // A reconnection brings a 'ready' and a sync; a timed-out or refused command leaves the
    // connection up and brings none, so also try now and then.
    this.#resumeTimer = setInterval(() => void this.#sync(), RESUME_EVERY_MS);
    this.#resumeTimer.unref();
    for (const member of [...this.#members]) member.down(reason);
  }

  #setStatus(status: Status): void {
    this.#status = status;
    if (status !== 'blip' && status !== 'connecting') {
      this.#settle();
      this.#settled = this.#newSettled();
    }
  }

  #newSettled(): Promise<void> {
    return new Promise((resolve) => (this.#settle = resolve));
  }
}

/** The connection pair of the circuit's own, from its URL. */
function ownClients(options: ConnectionOptions): [Redis | Cluster, Redis | Cluster] {
  const target = parseRedisTarget(options.url);
  // Through Sentinel, a master demoted to replica answers READONLY: reconnect, so Sentinel names
  // the new one (in case the failover detector missed the switch); at most once per resume
  // period, or a replica that stays read-only would be reconnected to on every command.
  let readonlyReconnectAt = Number.NEGATIVE_INFINITY;
  const reconnectOnError = (error: Error) => {
    if (!error.message.startsWith('READONLY')) return false;
    if (performance.now() - readonlyReconnectAt < RESUME_EVERY_MS) return false;
    readonlyReconnectAt = performance.now();
    return true;
  };
  const common: ClientOptions = {
    connectTimeout: options.connectTimeoutMs,
    // Fail at once while disconnected instead of queueing: run() waits for a blip itself.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResubscribe: false, // #sync subscribes, then reads the state it may have missed
    // Keep trying in the background, at most a second apart, so the shared state resumes soon.
    retryStrategy: (attempt: number) => Math.min(50 * attempt, 1000),
    ...(target.kind === 'sentinel' ? { reconnectOnError } : {}),
  };
  return [
    // Named, so CLIENT LIST on a server shows which connections are the fleet's.
    createRedisClient(target, {
      ...common,
      commandTimeout: options.redisTimeoutMs,
      connectionName: 'shared-circuit:commands',
    }),
    // No command timeout here: a subscribed connection waits for messages by design.
    createRedisClient(target, { ...common, connectionName: 'shared-circuit:transitions' }),
  ];
}

/** A pub/sub connection beside the caller's client, with its settings (TLS, password, Sentinel). */
function duplicateForPubSub(client: Redis | Cluster): Redis | Cluster {
  // isCluster rather than instanceof: the caller's ioredis may be another copy than ours.
  if (client.isCluster) return (client as Cluster).duplicate();
  return (client as Redis).duplicate({
    autoResubscribe: false,
    connectionName: 'shared-circuit:transitions',
  });
}

/** A command on the caller's client, which may have no command timeout of its own. */
async function bounded<T>(command: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Redis gave no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([command, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A circuit's read: its snapshot, or the error Redis answered with. */
type Read = { snapshot: Snapshot } | { refused: string };

/**
 * Replies that say Redis cannot take the circuit's writes for now, on every key: an outage of
 * the shared state, as a dropped connection is (a replica, a full or loading Redis, a busy script).
 */
const OUTAGE_REPLY =
  /^(READONLY|OOM|MISCONF|LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|NOREPLICAS|MOVED|ASK)\b/;

/**
 * What completes "Redis at <url> ..." when Redis answered, but not with a snapshot: an error
 * reply of the circuit's own (WRONGTYPE, a script's bug), or a reply this version cannot read.
 * Undefined for an outage.
 */
function answerError(error: unknown): string | undefined {
  if (error instanceof SnapshotError) {
    return `gave a reply this version of shared-circuit cannot read (${error.message})`;
  }
  // By name: the caller's client may come from another copy of ioredis.
  if (!(error instanceof Error) || error.name !== 'ReplyError') return undefined;
  if (OUTAGE_REPLY.test(error.message) || deniedCommand(error) !== undefined) return undefined;
  return `answered with an error: ${describeRedisError(error)}`;
}

/** "Redis at <url> unreachable (<why>)": what a circuit logs. */
function unreachable(why: string): string {
  return `unreachable (${why})`;
}

/** The database of a SELECT that Redis refused (out of range), from ioredis's error event. */
function selectRefused(error: unknown): string | undefined {
  const command = (error as { command?: { name?: unknown; args?: unknown[] } }).command;
  if (command?.name !== 'select') return undefined;
  return String(command.args?.[0]);
}

/** The command never reached Redis or its answer never came back because the socket closed. */
function isDroppedConnection(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.message === 'Connection is closed.' ||
    error.message.startsWith("Stream isn't writeable") ||
    error.name === 'MaxRetriesPerRequestError'
  );
}

/** Disconnects now (QUIT would wait for a Redis that may be gone); waits for an open socket to close. */
async function disconnect(redis: Redis | Cluster): Promise<void> {
  const open = redis.status === 'ready' || redis.status === 'connect';
  const ended = new Promise<void>((resolve) => redis.once('end', () => resolve()));
  redis.disconnect();
  if (open) await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 100).unref())]);
}
