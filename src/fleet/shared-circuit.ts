import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  CircuitOpenError,
  isCircuitOpenError,
  StateListeners,
  type Breaker,
  type CircuitState,
} from '../breakers/breaker.ts';
import { circuitKeys, type CircuitKeys } from './circuit-keys.ts';
import { LuaScript } from './lua-script.ts';
import { describeRedisError, redactUrl } from './redis-url.ts';
import { FAILURE_SCRIPT, READ_SCRIPT, SUCCESS_SCRIPT, TRIAL_SCRIPT } from './scripts.ts';
import {
  resolveOptions,
  type ResolvedOptions,
  type SharedCircuitOptions,
} from './shared-circuit-options.ts';
import { parseSnapshot, type Snapshot, type TrialReply } from './snapshot.ts';

/** While on the local breaker, how often to check whether Redis answers again. */
const RESUME_EVERY_MS = 1000;

const read = new LuaScript(READ_SCRIPT);
const failure = new LuaScript(FAILURE_SCRIPT);
const success = new LuaScript(SUCCESS_SCRIPT);
const trial = new LuaScript(TRIAL_SCRIPT);
const SCRIPTS = [read, failure, success, trial];

/** What this process knows of the shared state, kept in memory so a closed circuit costs no round trip. */
type View =
  | { state: 'closed'; version: number; failures: number }
  /** `retryAt` (local clock): when to ask Redis for the trial; until then, reject without asking. */
  | { state: 'open'; version: number; retryAt: number }
  /** Another process holds the trial; `retryAt` is when its lease runs out. */
  | { state: 'half-open'; version: number; retryAt: number };

/** Where the circuit's state lives right now. */
type Backend =
  | { kind: 'connecting' }
  | { kind: 'shared'; view: View }
  | { kind: 'local'; breaker: Breaker }
  | { kind: 'disposed' };

export type SharedCircuitMode = Backend['kind'];

/**
 * A circuit breaker whose state lives in Redis and is shared by every process that uses the same
 * namespace and name: open after N consecutive failures across the fleet, one trial call in the
 * whole fleet per reset timeout. Transitions are atomic Lua scripts (scripts.ts); each process
 * follows them by pub/sub. While Redis is unreachable the circuit runs on a local in-process
 * breaker, and goes back to the shared state when Redis returns.
 */
export class SharedCircuit implements Breaker {
  readonly #options: ResolvedOptions;
  readonly #keys: CircuitKeys;
  readonly #command: Redis;
  readonly #subscriber: Redis;
  readonly #listeners = new StateListeners();
  #backend: Backend = { kind: 'connecting' };
  #subscribed = false;
  #syncing = false;
  #resetting = false;
  /** Local single flight: until then, this process is asking for or running the trial. */
  #trialUntil = Number.NEGATIVE_INFINITY;
  /** Bumped on every connection change, so a sync that finishes late cannot undo a newer loss. */
  #generation = 0;
  #settleReady: (mode: 'shared' | 'local') => void = () => {};
  readonly #ready: Promise<'shared' | 'local'>;
  #startupTimer: NodeJS.Timeout | undefined;
  #resumeTimer: NodeJS.Timeout | undefined;

  constructor(options: SharedCircuitOptions) {
    this.#options = resolveOptions(options);
    this.#keys = circuitKeys(this.#options.namespace, this.#options.name);
    this.#ready = new Promise((resolve) => (this.#settleReady = resolve));
    const redisOptions = {
      connectTimeout: this.#options.connectTimeoutMs,
      // Fail at once while disconnected (the local breaker takes over) instead of queueing.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResubscribe: false, // #onReady subscribes, then reads the state it may have missed
      // Keep trying in the background; at most a second between attempts, so the shared state resumes soon.
      retryStrategy: (attempt: number) => Math.min(100 * attempt, 1000),
    };
    this.#command = new Redis(this.#options.redisUrl, {
      ...redisOptions,
      commandTimeout: this.#options.redisTimeoutMs,
    });
    // No command timeout here: a subscribed connection waits for messages by design.
    this.#subscriber = new Redis(this.#options.redisUrl, redisOptions);
    for (const redis of [this.#command, this.#subscriber]) {
      // A listener is required: without one ioredis prints every reconnection error.
      redis.on('error', (error: unknown) => {
        if (this.#backend.kind === 'connecting') this.#lose(describeRedisError(error));
      });
      redis.on('close', () => {
        if (redis === this.#subscriber) this.#subscribed = false;
        this.#lose('connection closed');
      });
      redis.on('ready', () => void this.#onReady());
    }
    this.#subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.#keys.channel) this.#onMessage(message);
    });
    // A host that accepts the connection but never answers would leave the circuit connecting.
    this.#startupTimer = setTimeout(
      () => this.#lose(`no answer within ${this.#options.connectTimeoutMs} ms`),
      this.#options.connectTimeoutMs,
    );
    this.#startupTimer.unref();
  }

  /** `shared` once the state is read from Redis, `local` if Redis could not be reached first. */
  ready(): Promise<'shared' | 'local'> {
    return this.#ready;
  }

  /** Where the state lives now: `shared` (Redis), `local` (Redis unreachable), `connecting`, `disposed`. */
  get mode(): SharedCircuitMode {
    return this.#backend.kind;
  }

  get name(): string {
    return this.#options.name;
  }

  get state(): CircuitState {
    switch (this.#backend.kind) {
      case 'shared':
        return this.#backend.view.state;
      case 'local':
        return this.#backend.breaker.state;
      case 'connecting':
      case 'disposed':
        return 'closed';
    }
  }

  onStateChange(listener: (state: CircuitState) => void): void {
    this.#listeners.add(listener);
  }

  async execute<T>(action: () => Promise<T>): Promise<T> {
    if (this.#backend.kind === 'connecting') await this.#ready;
    const backend = this.#backend;
    switch (backend.kind) {
      case 'local':
        return this.#executeLocal(backend.breaker, action);
      case 'disposed':
        throw new Error(`fleet circuit "${this.#options.name}" was disposed`);
      case 'connecting':
        throw new Error('unreachable: ready() settled without a backend');
      case 'shared':
        if (backend.view.state === 'closed') return this.#callClosed(action);
        if (this.#options.now() < Math.max(backend.view.retryAt, this.#trialUntil)) {
          throw new CircuitOpenError('fleet');
        }
        return this.#callTrial(action);
    }
  }

  async dispose(): Promise<void> {
    if (this.#backend.kind === 'disposed') return;
    const previous = this.#backend;
    this.#backend = { kind: 'disposed' };
    clearTimeout(this.#startupTimer);
    clearInterval(this.#resumeTimer);
    this.#settleReady('local');
    if (previous.kind === 'local') await previous.breaker.dispose();
    await Promise.all([closeConnection(this.#command), closeConnection(this.#subscriber)]);
  }

  /** Closed: the call runs; only a failure (or the first success after one) talks to Redis. */
  async #callClosed<T>(action: () => Promise<T>): Promise<T> {
    let value: T;
    try {
      value = await action();
    } catch (error) {
      if (this.#options.isFailure(error)) await this.#run(failure, [this.#options.failures, '']);
      throw error;
    }
    // Reset the fleet's count of consecutive failures, without making the caller wait for it;
    // one reset in flight at a time, or a burst of successes would each send one.
    const backend = this.#backend;
    const view = backend.kind === 'shared' ? backend.view : undefined;
    if (view?.state === 'closed' && view.failures > 0 && !this.#resetting) {
      this.#resetting = true;
      void this.#run(success, ['']).finally(() => (this.#resetting = false));
    }
    return value;
  }

  /** The reset timeout has passed (as far as this process knows): ask Redis for the one trial. */
  async #callTrial<T>(action: () => Promise<T>): Promise<T> {
    const token = randomUUID();
    this.#trialUntil = this.#options.now() + this.#options.trialLeaseMs;
    const reply = await this.#run(trial, [this.#options.trialLeaseMs, token]);
    if (!reply?.granted) this.#trialUntil = Number.NEGATIVE_INFINITY;
    if (reply === undefined) {
      // Redis went away while asking: the local breaker, fresh, decides.
      const backend = this.#backend;
      if (backend.kind === 'local') return this.#executeLocal(backend.breaker, action);
      throw new CircuitOpenError('fleet');
    }
    if (!reply.granted) {
      if (reply.state === 'closed') return this.#callClosed(action); // another process's trial closed it
      throw new CircuitOpenError('fleet');
    }
    try {
      let value: T;
      try {
        value = await action();
      } catch (error) {
        // An error that is not a failure still shows the dependency answering: it ends the trial well.
        const script = this.#options.isFailure(error) ? failure : success;
        const args = script === failure ? [this.#options.failures, token] : [token];
        await this.#run(script, args);
        throw error;
      }
      await this.#run(success, [token]);
      return value;
    } finally {
      this.#trialUntil = Number.NEGATIVE_INFINITY;
    }
  }

  async #executeLocal<T>(breaker: Breaker, action: () => Promise<T>): Promise<T> {
    try {
      return await breaker.execute(action);
    } catch (error) {
      if (isCircuitOpenError(error)) throw new CircuitOpenError('fleet', { cause: error });
      throw error;
    }
  }

  /**
   * Runs a transition script and applies its reply. Never rejects: a Redis error switches the
   * circuit to its local breaker and resolves undefined, so no caller ever sees a Redis error.
   */
  async #run(script: LuaScript, args: (string | number)[]): Promise<TrialReply | undefined> {
    if (this.#backend.kind !== 'shared') return undefined;
    const generation = this.#generation;
    try {
      const reply = await script.run(
        this.#command,
        [this.#keys.state, this.#keys.lease],
        [this.#keys.channel, this.#options.resetTimeoutMs, ...args],
      );
      const snapshot = parseSnapshot(String(reply));
      if (generation === this.#generation) this.#apply(snapshot);
      return snapshot;
    } catch (error) {
      this.#lose(describeRedisError(error));
      return undefined;
    }
  }

  #onMessage(message: string): void {
    let snapshot: Snapshot;
    try {
      snapshot = parseSnapshot(message);
    } catch {
      return; // not ours: someone else published on the channel
    }
    this.#apply(snapshot);
  }

  /** Takes a snapshot into the in-memory view unless a newer one is already there. */
  #apply(snapshot: Snapshot): void {
    const backend = this.#backend;
    if (backend.kind !== 'shared') return;
    // Script replies and pub/sub messages can arrive in either order; versions say which is later.
    if (snapshot.version < backend.view.version) return;
    this.#setBackend({ kind: 'shared', view: this.#toView(snapshot) });
  }

  #toView(snapshot: Snapshot): View {
    const now = this.#options.now();
    switch (snapshot.state) {
      case 'closed':
        return snapshot;
      case 'open':
        return { state: 'open', version: snapshot.version, retryAt: now + snapshot.retryInMs };
      case 'half-open':
        return { state: 'half-open', version: snapshot.version, retryAt: now + snapshot.leaseMs };
    }
  }

  /**
   * A connection is (back) up. Once both are: subscribe, load the scripts (a restarted Redis has
   * forgotten them), then read the state that changed while we were away. One at a time: a second
   * 'ready' during a sync is covered by that sync, which checks both connections after subscribing.
   */
  async #onReady(): Promise<void> {
    if (this.#syncing) return;
    this.#syncing = true;
    const generation = ++this.#generation;
    try {
      if (!this.#subscribed && this.#subscriber.status === 'ready') {
        await this.#subscriber.subscribe(this.#keys.channel);
        this.#subscribed = true;
      }
      if (!this.#subscribed || this.#command.status !== 'ready') return;
      await Promise.all(SCRIPTS.map((script) => script.load(this.#command)));
      const reply = await read.run(
        this.#command,
        [this.#keys.state, this.#keys.lease],
        [this.#keys.channel, this.#options.resetTimeoutMs],
      );
      if (generation !== this.#generation || this.#backend.kind === 'disposed') return;
      const wasLocal = this.#backend.kind === 'local';
      // Taken whatever its version: a restarted Redis starts again at version 0.
      this.#setBackend({ kind: 'shared', view: this.#toView(parseSnapshot(String(reply))) });
      clearTimeout(this.#startupTimer);
      clearInterval(this.#resumeTimer);
      this.#settleReady('shared');
      if (wasLocal) {
        this.#options.log(
          `fleet: Redis at ${redactUrl(this.#options.redisUrl)} is back; circuit "${this.#options.name}" uses the shared state again`,
        );
      }
    } catch (error) {
      if (generation === this.#generation) this.#lose(describeRedisError(error));
    } finally {
      this.#syncing = false;
    }
  }

  /** Redis is unreachable: log one line per outage and carry on with a fresh local breaker. */
  #lose(reason: string): void {
    const kind = this.#backend.kind;
    if (kind === 'local' || kind === 'disposed') return;
    this.#generation += 1;
    clearTimeout(this.#startupTimer);
    const breaker = this.#options.localLibrary.create(this.#options.settings);
    breaker.onStateChange((state) => {
      if (this.#backend.kind === 'local' && this.#backend.breaker === breaker) {
        this.#listeners.emit(state);
      }
    });
    this.#setBackend({ kind: 'local', breaker });
    this.#settleReady('local');
    // A reconnection resumes the shared state ('ready'); a timed-out command leaves the connection
    // up and brings no 'ready', so also try again now and then.
    this.#resumeTimer = setInterval(() => {
      if (this.#command.status === 'ready' && this.#subscriber.status === 'ready') {
        void this.#onReady();
      }
    }, RESUME_EVERY_MS);
    this.#resumeTimer.unref();
    this.#options.log(
      `fleet: Redis at ${redactUrl(this.#options.redisUrl)} unreachable (${reason}); circuit "${this.#options.name}" carries on with a local breaker`,
    );
  }

  #setBackend(next: Backend): void {
    const before = this.state;
    const previous = this.#backend;
    this.#backend = next;
    if (previous.kind === 'local' && next.kind !== 'local') void previous.breaker.dispose();
    const after = this.state;
    if (after !== before) this.#listeners.emit(after);
  }
}

/** Disconnects now (QUIT would wait for a Redis that may be gone) and waits for the socket to close. */
async function closeConnection(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  const ended = new Promise<void>((resolve) => redis.once('end', () => resolve()));
  redis.disconnect();
  await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
}
