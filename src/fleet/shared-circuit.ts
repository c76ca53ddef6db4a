import { randomUUID } from 'node:crypto';
import {
  CircuitOpenError,
  isCircuitOpenError,
  type Breaker,
  type CircuitState,
} from '../breakers/breaker.ts';
import { StateListeners } from '../breakers/state-listeners.ts';
import { circuitKeys } from './circuit-keys.ts';
import { CircuitEvents, type SharedCircuitEvent } from './events.ts';
import { LocalFallback } from './local-fallback.ts';
import { RedisLink, type TransitionScript } from './redis-link.ts';
import { redactUrl } from './redis-url.ts';
import { parseRedisTarget } from './redis-target.ts';
import {
  resolveOptions,
  type ResolvedOptions,
  type SharedCircuitOptions,
} from './shared-circuit-options.ts';
import type { Snapshot, TrialReply } from './snapshot.ts';

/** What this process knows of the shared state, kept in memory so a closed circuit costs no round trip. */
type View =
  | { state: 'closed'; version: number; failures: number }
  /**
   * `retryAt` (local clock): when to ask Redis for the trial; until then, reject without asking.
   * Isolated by hand: never (Infinity) until released.
   */
  | { state: 'open'; version: number; retryAt: number; forced: boolean }
  /** Every trial the fleet allows is running; `retryAt` is when the first lease runs out (or now). */
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
 * namespace and name: open after N consecutive failures across the fleet, then after the reset
 * timeout `halfOpenTrials` trial calls at once in the whole fleet (default one), closed after
 * `successThreshold` trial successes, open again for a full reset timeout on any failed trial.
 * Transitions are atomic Lua scripts (scripts.ts); each process follows them by pub/sub
 * (redis-link.ts). While Redis is unreachable the circuit runs on a local
 * in-process breaker, and goes back to the shared state when Redis returns.
 */
export class SharedCircuit implements Breaker {
  readonly #options: ResolvedOptions;
  readonly #link: RedisLink;
  readonly #listeners = new StateListeners();
  readonly #events = new CircuitEvents(() => ({
    circuit: this.#options.name,
    state: this.state,
    mode: this.#backend.kind,
  }));
  #backend: Backend = { kind: 'connecting' };
  #resetting = false;
  /** Trials this process is asking for or running: never more than the fleet allows at once. */
  #trials = 0;
  #settleReady: (mode: 'shared' | 'local') => void = () => {};
  readonly #ready: Promise<'shared' | 'local'>;

  constructor(options: SharedCircuitOptions) {
    this.#options = resolveOptions(options);
    this.#ready = new Promise((resolve) => (this.#settleReady = resolve));
    this.#listeners.add((to) => this.#events.transition(to));
    const { redisUrl, namespace, name, resetTimeoutMs, redisTimeoutMs, connectTimeoutMs } =
      this.#options;
    const { halfOpenTrials, successThreshold } = this.#options;
    this.#link = new RedisLink(
      {
        url: redisUrl,
        keys: circuitKeys(namespace, name, parseRedisTarget(redisUrl).db),
        resetTimeoutMs,
        halfOpenTrials,
        successThreshold,
        redisTimeoutMs,
        connectTimeoutMs,
      },
      {
        up: (snapshot) => this.#onUp(snapshot),
        down: (reason) => this.#onDown(reason),
        change: (snapshot) => this.#apply(snapshot),
      },
    );
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

  /** Isolated by hand (control.ts `isolate`): open, every call rejected, until released. */
  get isolated(): boolean {
    const backend = this.#backend;
    return backend.kind === 'shared' && backend.view.state === 'open' && backend.view.forced;
  }

  onStateChange(listener: (state: CircuitState) => void): void {
    this.#listeners.add(listener);
  }

  /** Calls `listener` on every event (see events.ts); returns the function that stops it. */
  onEvent(listener: (event: SharedCircuitEvent) => void): () => void {
    return this.#events.add(listener);
  }

  /** Runs `action` through the circuit, reporting the call, trial or rejection to `onEvent`. */
  execute<T>(action: () => Promise<T>): Promise<T> {
    // The path nearly every call takes, kept short: closed, nobody listening (see the keyed-circuits bench).
    const backend = this.#backend;
    if (backend.kind === 'shared' && backend.view.state === 'closed' && !this.#events.listening) {
      return this.#callClosed(action);
    }
    return this.#events.observe(action, (observed) => this.#execute(observed), this.#options);
  }

  async #execute<T>(action: () => Promise<T>): Promise<T> {
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
        if (
          this.#options.now() < backend.view.retryAt ||
          this.#trials >= this.#options.halfOpenTrials
        ) {
          throw new CircuitOpenError('fleet');
        }
        return this.#callTrial(action);
    }
  }

  async dispose(): Promise<void> {
    if (this.#backend.kind === 'disposed') return;
    const previous = this.#backend;
    this.#backend = { kind: 'disposed' };
    this.#settleReady('local');
    if (previous.kind === 'local') await previous.breaker.dispose();
    await this.#link.close();
  }

  /**
   * Closed: the call runs; only a failure (or the first success after one) talks to Redis. One
   * `then` rather than an async function: this is the closed path's whole cost.
   */
  #callClosed<T>(action: () => Promise<T>): Promise<T> {
    let called: Promise<T>;
    try {
      called = action();
    } catch (error) {
      called = Promise.reject(error); // a synchronous throw fails the call as a rejection would
    }
    return called.then(
      (value) => {
        this.#closedSuccess();
        return value;
      },
      (error: unknown) => this.#closedFailure(error),
    );
  }

  /**
   * Resets the fleet's count of consecutive failures, without making the caller wait for it; one
   * reset in flight at a time, or a burst of successes would each send one.
   */
  #closedSuccess(): void {
    const backend = this.#backend;
    const view = backend.kind === 'shared' ? backend.view : undefined;
    if (view?.state === 'closed' && view.failures > 0 && !this.#resetting) {
      this.#resetting = true;
      void this.#run('success', ['']).finally(() => (this.#resetting = false));
    }
  }

  async #closedFailure(error: unknown): Promise<never> {
    if (this.#options.isFailure(error)) {
      await this.#run('failure', [this.#options.failures, '', randomUUID()]);
    }
    throw error;
  }

  /** The reset timeout has passed (as far as this process knows): ask Redis for a trial. */
  async #callTrial<T>(action: () => Promise<T>): Promise<T> {
    const token = randomUUID();
    const leaseMs = this.#options.trialLeaseMs;
    // Until the trial ends, however long it runs, it takes one of the trials the fleet allows.
    this.#trials += 1;
    let reply: TrialReply | undefined;
    try {
      reply = await this.#run('trial', [leaseMs, token]);
    } finally {
      if (!reply?.granted) this.#trials -= 1;
    }
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
    // Renew the lease while the trial runs, so a slow trial never lets a second one start; a
    // process that dies stops renewing, and the lease frees the trial for another process.
    const every = Math.max(leaseMs / 3, 10);
    const renewal = setInterval(() => void this.#link.run('renew', [leaseMs, token]), every);
    renewal.unref();
    try {
      let value: T;
      try {
        value = await action();
      } catch (error) {
        // An error that is not a failure still shows the dependency answering: it ends the trial well.
        if (this.#options.isFailure(error)) {
          await this.#run('failure', [this.#options.failures, token, randomUUID()]);
        } else {
          await this.#run('success', [token]);
        }
        throw error;
      }
      await this.#run('success', [token]);
      return value;
    } finally {
      clearInterval(renewal);
      this.#trials -= 1;
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

  /** Runs a transition and applies its reply; undefined when Redis failed (the link reported it). */
  async #run(
    transition: TransitionScript,
    args: readonly (string | number)[],
  ): Promise<TrialReply | undefined> {
    if (this.#backend.kind !== 'shared') return undefined;
    const reply = await this.#link.run(transition, args);
    if (reply !== undefined) this.#apply(reply);
    return reply;
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
        return { state: 'closed', version: snapshot.version, failures: snapshot.failures };
      case 'open':
        return {
          state: 'open',
          version: snapshot.version,
          retryAt: snapshot.forced ? Number.POSITIVE_INFINITY : now + snapshot.retryInMs,
          forced: snapshot.forced === true,
        };
      case 'half-open':
        return { state: 'half-open', version: snapshot.version, retryAt: now + snapshot.leaseMs };
    }
  }

  /** Connected, or reconnected: the state Redis has now replaces whatever this process had. */
  #onUp(snapshot: Snapshot): void {
    const previous = this.#backend.kind;
    if (previous === 'disposed') return;
    // After a blip the view may already hold a change published after this read.
    if (previous === 'shared') return this.#apply(snapshot);
    this.#setBackend({ kind: 'shared', view: this.#toView(snapshot) });
    this.#settleReady('shared');
    if (previous === 'local') {
      this.#events.emit({ type: 'fallback', to: 'shared' });
      this.#options.log(
        `fleet: Redis at ${redactUrl(this.#options.redisUrl)} is back; circuit "${this.#options.name}" uses the shared state again`,
      );
    }
  }

  /**
   * Redis is unreachable: log one line per outage and carry on with a local breaker that starts
   * from the last shared view (open stays open until its retry time).
   */
  #onDown(reason: string): void {
    const backend = this.#backend;
    if (backend.kind === 'local' || backend.kind === 'disposed') return;
    const view = backend.kind === 'shared' ? backend.view : undefined;
    const openUntil = view === undefined || view.state === 'closed' ? undefined : view.retryAt;
    const { localLibrary, settings, now } = this.#options;
    const breaker = new LocalFallback(localLibrary, settings, openUntil, now);
    breaker.onStateChange((state) => {
      if (this.#backend.kind === 'local' && this.#backend.breaker === breaker) {
        this.#listeners.emit(state);
      }
    });
    this.#setBackend({ kind: 'local', breaker });
    this.#settleReady('local');
    this.#events.emit({ type: 'fallback', to: 'local', reason });
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
