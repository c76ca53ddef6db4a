import { randomUUID } from 'node:crypto';
import type { CircuitState } from './circuit-state.ts';
import { circuitKeys } from './circuit-keys.ts';
import { CircuitDisposedError } from './errors/circuit-disposed-error.ts';
import { CircuitIsolatedError } from './errors/circuit-isolated-error.ts';
import { CircuitOpenError, isCircuitOpenError, rejection } from './errors/circuit-open-error.ts';
import { CircuitEvents, type SharedCircuitEvent } from './events.ts';
import { LocalFallback } from './local-fallback.ts';
import { RedisLink } from './redis-link.ts';
import type { CircuitStore, StoreEvents, Transition } from './store/circuit-store.ts';
import { SlowCallWatch } from './slow-call-watch.ts';
import { parseRedisTarget } from './redis-target.ts';
import {
  resolveOptions,
  type ResolvedOptions,
  type SharedCircuitOptions,
} from './shared-circuit-options.ts';
import type { Snapshot, TrialReply } from './snapshot.ts';
import type { Cluster, Redis } from 'ioredis';

/** What this process knows of the shared state, kept in memory so a closed circuit costs no round trip. */
type View =
  /** `spell`: the closed spell (scripts.ts), sent with a failure so a late one does not count. */
  | { state: 'closed'; version: number; failures: number; spell: string }
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
  | { kind: 'local'; breaker: LocalFallback }
  | { kind: 'disposed' };

export type SharedCircuitMode = Backend['kind'];

/** What `attempt` resolves to: the action's value, its error, or the circuit's rejection. */
export type ExecuteResult<T> =
  | { readonly outcome: 'success'; readonly value: T }
  | { readonly outcome: 'failure'; readonly error: unknown }
  | { readonly outcome: 'rejected'; readonly error: CircuitOpenError };

/** A view in which calls can be rejected: open, or half-open with every trial running. */
type OpenView = Exclude<View, { state: 'closed' }>;

interface Rejection {
  readonly view: OpenView;
  readonly error: CircuitOpenError;
  /** Rejected with `error`, handled: returned to every caller of `execute` in this open period. */
  readonly rejected: Promise<never>;
  readonly outcome: Promise<ExecuteResult<never>>;
}

/**
 * What an action is given: the caller's signal (cockatiel's context has the same shape, so the
 * circuit composes with its policies in `wrap()`).
 */
export interface ExecuteContext {
  readonly signal: AbortSignal;
}

/** The action of a call: a promise, or a plain value. */
export type CircuitAction<T> = (context: ExecuteContext) => PromiseLike<T> | T;

/** The context an action gets when its caller passed no signal: never aborted, one for every call. */
const NO_CONTEXT: ExecuteContext = Object.freeze({ signal: new AbortController().signal });

/**
 * A circuit breaker whose state lives in Redis and is shared by every process that uses the same
 * namespace and name: open after N consecutive failures across the fleet, then after the reset
 * timeout `halfOpenTrials` trial calls at once in the whole fleet (default one), closed after
 * `successThreshold` trial successes, open again for a full reset timeout on any failed trial.
 * Transitions are atomic Lua scripts (scripts.ts); each process follows them by pub/sub
 * (redis-link.ts). While Redis is unreachable the circuit runs on a local
 * in-process breaker, and goes back to the shared state when Redis returns.
 */
export class SharedCircuit implements AsyncDisposable {
  readonly #options: ResolvedOptions;
  /** Where the state lives: Redis, or a MemoryStore (option `store`). */
  readonly #link: CircuitStore;
  readonly #stateListeners = new Set<(state: CircuitState) => void>();
  readonly #events: CircuitEvents;
  readonly #disposeListeners = new Set<() => void>();
  #backend: Backend = { kind: 'connecting' };
  #resetting = false;
  /** Present with `slowCallMs`: counts a call as failed once it has run that long. */
  readonly #slowCalls: SlowCallWatch | undefined;
  /** With `minProcesses` from 2: this process's own circuit, under the fleet's. */
  readonly #processLevel: LocalFallback | undefined;
  /** With `failureRatio`: this process's counts not yet sent. */
  readonly #rate:
    | { spell: string; calls: number; failures: number; timer: NodeJS.Timeout | undefined }
    | undefined;
  #rejection: Rejection | undefined;
  /** Trials this process is asking for or running: never more than the fleet allows at once. */
  #trials = 0;
  #settleReady: (mode: 'shared' | 'local') => void = () => {};
  readonly #ready: Promise<'shared' | 'local'>;

  constructor(options: SharedCircuitOptions) {
    this.#options = resolveOptions(options);
    this.#events = new CircuitEvents(
      () => ({ circuit: this.#options.name, state: this.state, mode: this.#backend.kind }),
      (error) => this.#listenerFailed(error),
    );
    this.#ready = new Promise((resolve) => (this.#settleReady = resolve));
    const { slowCallMs } = this.#options;
    this.#slowCalls =
      slowCallMs === undefined ? undefined : new SlowCallWatch(slowCallMs, this.#options.now);
    this.#rate =
      this.#options.rate === undefined
        ? undefined
        : { spell: '', calls: 0, failures: 0, timer: undefined };
    this.#processLevel =
      this.#options.minProcesses < 2
        ? undefined
        : new LocalFallback({
            circuit: this.#options.name,
            level: 'process',
            settings: this.#options,
            // A fleet rejection is not this process's failure.
            isFailure: (error) => !isCircuitOpenError(error) && this.#options.isFailure(error),
            now: this.#options.now,
            openUntil: undefined,
            slowCallMs,
            onStateChange: (to, from) =>
              this.#events.emit({ type: 'process-transition', from, to }),
          });
    const { redisUrl, namespace, name, resetTimeoutMs, redisTimeoutMs, connectTimeoutMs, redis } =
      this.#options;
    const { halfOpenTrials, successThreshold } = this.#options;
    // A client of the caller's: its own database (ioredis keeps it in options.db).
    const events: StoreEvents = {
      up: (snapshot) => this.#onUp(snapshot),
      down: (reason) => this.#onDown(reason),
      change: (snapshot) => this.#apply(snapshot),
    };
    const store = this.#options.store;
    if (store !== undefined) {
      const keys = circuitKeys(namespace, name);
      this.#link = store.attach({ keys, resetTimeoutMs, halfOpenTrials, successThreshold }, events);
      return;
    }
    const db = redis === undefined ? parseRedisTarget(redisUrl).db : clientDb(redis);
    this.#link = new RedisLink(
      {
        url: redisUrl,
        client: redis,
        keys: circuitKeys(namespace, name, db),
        resetTimeoutMs,
        halfOpenTrials,
        successThreshold,
        redisTimeoutMs,
        connectTimeoutMs,
      },
      events,
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

  /**
   * This process's own circuit, with `minProcesses` from 2, while the state is shared (undefined
   * otherwise: the local breaker alone decides while Redis is away): it opens on this process's
   * failures and rejects its calls (level `process`) while the fleet's `state` may be closed.
   */
  get processState(): CircuitState | undefined {
    return this.#backend.kind === 'shared' ? this.#processLevel?.state : undefined;
  }

  /** Isolated by hand (control.ts `isolate`): open, every call rejected, until released. */
  get isolated(): boolean {
    const backend = this.#backend;
    return backend.kind === 'shared' && backend.view.state === 'open' && backend.view.forced;
  }

  /** Calls `listener` with the new state on every transition; returns the function that stops it. */
  onStateChange(listener: (state: CircuitState) => void): () => void {
    // Wrapped, so the same function added twice is called twice and removed once per add.
    const entry = (state: CircuitState) => listener(state);
    this.#stateListeners.add(entry);
    return () => this.#stateListeners.delete(entry);
  }

  /** Calls `listener` on every event (see events.ts); returns the function that stops it. */
  onEvent(listener: (event: SharedCircuitEvent) => void): () => void {
    return this.#events.add(listener);
  }

  /**
   * Calls `listener` once when the circuit is disposed (by `dispose()`, or by SharedCircuits
   * forgetting an idle key), so what follows it can forget it too; returns the function that stops it.
   */
  onDispose(listener: () => void): () => void {
    const entry = () => listener();
    this.#disposeListeners.add(entry);
    return () => this.#disposeListeners.delete(entry);
  }

  /**
   * cockatiel's policy events, so the circuit is a policy of `wrap()` (`wrap(retry, circuit)`):
   * a call whose action succeeded (or threw an error `isFailure` does not count).
   */
  onSuccess(listener: (event: { duration: number }) => void): { dispose(): void } {
    const stop = this.onEvent((event) => {
      if (event.type === 'call' && event.outcome !== 'failure')
        listener({ duration: event.durationMs });
    });
    return { dispose: () => void stop() };
  }

  /** cockatiel's policy events: a call whose action failed. */
  onFailure(
    listener: (event: { duration: number; handled: boolean; reason: { error: Error } }) => void,
  ): { dispose(): void } {
    const stop = this.onEvent((event) => {
      if (event.type !== 'call' || event.outcome !== 'failure') return;
      const error = event.error instanceof Error ? event.error : new Error(String(event.error));
      listener({ duration: event.durationMs, handled: true, reason: { error } });
    });
    return { dispose: () => void stop() };
  }

  /** cockatiel's type-only marker of what a policy returns besides the action's value: nothing. */
  declare readonly _altReturn: never;

  /**
   * Runs `action` through the circuit. Rejects with CircuitOpenError (CircuitIsolatedError when
   * isolated by hand) when the circuit refuses the call; otherwise settles as the action did.
   * `signal` is handed to the action; when it aborts, the returned promise rejects with its reason
   * at once, and what the action does after that is counted neither way.
   */
  execute<T>(action: CircuitAction<T>, signal?: AbortSignal): Promise<T> {
    if (signal === undefined) {
      // The paths nearly every call takes, kept short, when nobody listens: closed, and rejected
      // while open (bench/shared-circuit-paths.ts measures both).
      const backend = this.#backend;
      if (backend.kind === 'shared' && !this.#events.listening) {
        const view = backend.view;
        if (view.state === 'closed') return this.#callClosed(action, NO_CONTEXT);
        if (view.state === 'open' && !view.forced && this.#options.now() < view.retryAt) {
          return this.#rejectionOf(view).rejected;
        }
      }
      return this.#observed(action, NO_CONTEXT);
    }
    if (signal.aborted) return Promise.reject(signal.reason);
    return abortable(this.#observed(action, { signal }), signal);
  }

  /**
   * `execute` that never rejects: it resolves to the call's outcome, a rejection included, as
   * Polly's ExecuteOutcomeAsync does, for callers that would rather branch than catch. While open
   * it is about a bare call's cost (bench/shared-circuit-paths.ts).
   */
  attempt<T>(action: CircuitAction<T>, signal?: AbortSignal): Promise<ExecuteResult<T>> {
    const backend = this.#backend;
    if (signal === undefined && backend.kind === 'shared' && !this.#events.listening) {
      const view = backend.view;
      if (view.state === 'open' && !view.forced && this.#options.now() < view.retryAt) {
        return this.#rejectionOf(view).outcome;
      }
    }
    return this.execute(action, signal).then(
      (value): ExecuteResult<T> => ({ outcome: 'success', value }),
      (error: unknown): ExecuteResult<T> =>
        isCircuitOpenError(error) ? { outcome: 'rejected', error } : { outcome: 'failure', error },
    );
  }

  /** The rejection of one open period (one view): made once, the same for every call. */
  #rejectionOf(view: OpenView): Rejection {
    if (this.#rejection?.view !== view) {
      const error = rejection(this.#options.name, 'fleet', view.retryAt, this.#options.now);
      const rejected = Promise.reject(error);
      rejected.catch(() => {}); // each caller handles its own; this one promise is never "unhandled"
      const outcome = Promise.resolve<ExecuteResult<never>>(
        Object.freeze({ outcome: 'rejected', error }),
      );
      this.#rejection = { view, error, rejected, outcome };
    }
    return this.#rejection;
  }

  #observed<T>(action: CircuitAction<T>, context: ExecuteContext): Promise<T> {
    return this.#events.observe(
      async () => action(context),
      (observed) => this.#execute(() => observed(), context),
      {
        now: this.#options.now,
        isFailure: (error) => !context.signal.aborted && this.#options.isFailure(error),
      },
    );
  }

  async #execute<T>(action: CircuitAction<T>, context: ExecuteContext): Promise<T> {
    if (this.#backend.kind === 'connecting') await this.#ready;
    const backend = this.#backend;
    switch (backend.kind) {
      case 'local':
        return backend.breaker.execute(async () => action(context));
      case 'disposed':
        throw new CircuitDisposedError(this.#options.name);
      case 'connecting':
        throw new Error('unreachable: ready() settled without a backend');
      case 'shared': {
        const view = backend.view;
        if (view.state === 'closed') return this.#callClosed(action, context);
        if (view.state === 'open' && view.forced)
          throw new CircuitIsolatedError(this.#options.name);
        const now = this.#options.now();
        if (now < view.retryAt || this.#trials >= this.#options.halfOpenTrials) {
          throw this.#rejectionOf(view).error;
        }
        return this.#callTrial(action, context);
      }
    }
  }

  /** Stops the circuit: its connections close with the last circuit on them; later calls are refused. */
  async dispose(): Promise<void> {
    if (this.#backend.kind === 'disposed') return;
    if (this.#rate !== undefined && this.#rate.calls > 0) await this.#flushRate(); // not lost
    const backend = this.#backend;
    if (backend.kind === 'local') backend.breaker.dispose();
    this.#backend = { kind: 'disposed' };
    this.#settleReady('local');
    this.#slowCalls?.dispose();
    this.#processLevel?.dispose();
    for (const listener of this.#disposeListeners) {
      try {
        listener();
      } catch (error) {
        this.#listenerFailed(error);
      }
    }
    this.#disposeListeners.clear();
    await this.#link.close();
  }

  /** `await using circuit = new SharedCircuit(...)` disposes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  /**
   * Closed: the call runs; only a failure (or the first success after one) talks to Redis. One
   * `then` rather than an async function: this is the closed path's whole cost.
   */
  #callClosed<T>(action: CircuitAction<T>, context: ExecuteContext): Promise<T> {
    // With minProcesses from 2, this process's own circuit decides first (its own failures).
    if (this.#processLevel !== undefined) {
      return this.#processLevel.execute(() => this.#callClosedFleet(action, context));
    }
    return this.#callClosedFleet(action, context);
  }

  #callClosedFleet<T>(action: CircuitAction<T>, context: ExecuteContext): Promise<T> {
    // The closed spell the call starts in: its failure counts in that spell only.
    const backend = this.#backend;
    const spell =
      backend.kind === 'shared' && backend.view.state === 'closed' ? backend.view.spell : '';
    if (this.#slowCalls !== undefined) {
      return this.#callClosedWatched(action, context, this.#slowCalls, spell);
    }
    let called: Promise<T>;
    try {
      called = Promise.resolve(action(context)); // the same promise when it is one already
    } catch (error) {
      called = Promise.reject(error); // a synchronous throw fails the call as a rejection would
    }
    return called.then(
      (value) => {
        this.#closedSuccess(spell);
        return value;
      },
      (error: unknown) => this.#closedFailure(error, context.signal, spell),
    );
  }

  /** The closed path with `slowCallMs`: a call that turns slow is a failure then, and only then. */
  async #callClosedWatched<T>(
    action: CircuitAction<T>,
    context: ExecuteContext,
    watch: SlowCallWatch,
    spell: string,
  ): Promise<T> {
    const watched = watch.start(() => void this.#countFailure(spell));
    let value: T;
    try {
      value = await action(context);
    } catch (error) {
      if (watch.end(watched)) throw error; // counted when it turned slow
      return this.#closedFailure(error, context.signal, spell);
    }
    if (!watch.end(watched)) this.#closedSuccess(spell);
    return value;
  }

  /**
   * Resets the fleet's count of consecutive failures, without making the caller wait for it; one
   * reset in flight at a time, or a burst of successes would each send one.
   */
  #closedSuccess(spell: string): void {
    if (this.#rate !== undefined) this.#countForRate(false, spell);
    const backend = this.#backend;
    const view = backend.kind === 'shared' ? backend.view : undefined;
    if (view?.state === 'closed' && view.failures > 0 && !this.#resetting) {
      this.#resetting = true;
      void this.#run({ type: 'success', token: '' }).finally(() => (this.#resetting = false));
    }
  }

  async #closedFailure(error: unknown, signal: AbortSignal, spell: string): Promise<never> {
    // An error after the caller aborted is the abort's doing, not the dependency's.
    if (!signal.aborted && this.#options.isFailure(error)) await this.#countFailure(spell);
    throw error;
  }

  /** A closed call failed: the consecutive count at once, the rate's count with the next flush. */
  async #countFailure(spell: string): Promise<void> {
    if (this.#rate !== undefined) this.#countForRate(true, spell);
    const { failures, processId, minProcesses } = this.#options;
    await this.#run({
      type: 'failure',
      threshold: failures,
      token: '',
      id: randomUUID(),
      spell,
      processId,
      minProcesses,
    });
  }

  /**
   * The failure-rate rule: calls are counted here and sent every `flushMs`, never on the call's
   * path. Counts of a closed spell that ended are dropped: they describe a circuit that is gone.
   */
  #countForRate(failed: boolean, spell: string): void {
    const rate = this.#rate;
    if (rate === undefined) return;
    if (spell !== rate.spell) Object.assign(rate, { spell, calls: 0, failures: 0 });
    rate.calls += 1;
    if (failed) rate.failures += 1;
    if (rate.timer === undefined) {
      rate.timer = setTimeout(() => void this.#flushRate(), this.#options.rate?.flushMs ?? 250);
      rate.timer.unref();
    }
  }

  async #flushRate(): Promise<void> {
    const rate = this.#rate;
    const rule = this.#options.rate;
    if (rate === undefined || rule === undefined) return;
    clearTimeout(rate.timer);
    rate.timer = undefined;
    const { calls, failures, spell } = rate;
    rate.calls = 0;
    rate.failures = 0;
    if (calls === 0) return;
    const { processId, minProcesses } = this.#options;
    const bucketMs = rule.samplingDurationMs / 10;
    await this.#run({
      type: 'rate',
      calls,
      failures,
      processId,
      bucketMs,
      windowMs: rule.samplingDurationMs,
      failureRatio: rule.failureRatio,
      minimumThroughput: rule.minimumThroughput,
      minProcesses,
      spell,
    });
  }

  /** The reset timeout has passed (as far as this process knows): ask Redis for a trial. */
  async #callTrial<T>(action: CircuitAction<T>, context: ExecuteContext): Promise<T> {
    const token = randomUUID();
    const leaseMs = this.#options.trialLeaseMs;
    // Until the trial ends, however long it runs, it takes one of the trials the fleet allows.
    this.#trials += 1;
    let reply: TrialReply | undefined;
    try {
      reply = await this.#run({ type: 'trial', leaseMs, token });
    } finally {
      if (!reply?.granted) this.#trials -= 1;
    }
    if (reply === undefined) {
      // Redis went away while asking: the local breaker, fresh, decides.
      const backend = this.#backend;
      if (backend.kind === 'local') return backend.breaker.execute(async () => action(context));
      throw new CircuitOpenError(this.#options.name, 'fleet', undefined);
    }
    if (!reply.granted) {
      // Another process's trial closed it meanwhile.
      if (reply.state === 'closed') return this.#callClosed(action, context);
      if (reply.state === 'open' && reply.forced)
        throw new CircuitIsolatedError(this.#options.name);
      const retryIn = reply.state === 'open' ? reply.retryInMs : reply.leaseMs;
      throw new CircuitOpenError(this.#options.name, 'fleet', retryIn);
    }
    // Renew the lease while the trial runs, so a slow trial never lets a second one start; a
    // process that dies stops renewing, and the lease frees the trial for another process.
    const every = Math.max(leaseMs / 3, 10);
    const renewal = setInterval(
      () => void this.#link.run({ type: 'renew', leaseMs, token }),
      every,
    );
    renewal.unref();
    // A trial that turns slow has failed, then: the circuit opens again at once.
    const { failures, processId, minProcesses, backoff } = this.#options;
    // With a backoff, the next open period's factor, cap and this failure's jitter draw.
    const failTrial = () =>
      this.#run({
        type: 'failure',
        threshold: failures,
        token,
        id: randomUUID(),
        spell: '',
        processId,
        minProcesses,
        ...(backoff === undefined
          ? {}
          : {
              backoff: {
                factor: backoff.factor,
                maxMs: backoff.maxMs,
                draw: (Math.random() * 2 - 1) * backoff.jitter,
              },
            }),
      });
    const watched = this.#slowCalls?.start(() => {
      clearInterval(renewal);
      void failTrial();
    });
    const judged = () => watched !== undefined && (this.#slowCalls?.end(watched) ?? false);
    try {
      let value: T;
      try {
        value = await action(context);
      } catch (error) {
        if (judged()) throw error;
        if (context.signal.aborted) {
          // No verdict: give the lease up at once (a 1 ms lease), so another trial may start.
          await this.#link.run({ type: 'renew', leaseMs: 1, token });
          throw error;
        }
        // An error that is not a failure still shows the dependency answering: it ends the trial well.
        if (this.#options.isFailure(error)) await failTrial();
        else await this.#run({ type: 'success', token });
        throw error;
      }
      if (!judged()) await this.#run({ type: 'success', token });
      return value;
    } finally {
      clearInterval(renewal);
      this.#trials -= 1;
    }
  }

  /** Runs a transition and applies its reply; undefined when Redis failed (the link reported it). */
  async #run(transition: Transition): Promise<TrialReply | undefined> {
    if (this.#backend.kind !== 'shared') return undefined;
    const reply = await this.#link.run(transition);
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
        return {
          state: 'closed',
          version: snapshot.version,
          failures: snapshot.failures,
          spell: snapshot.spell,
        };
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
        `fleet: ${this.#link.where} is back; circuit "${this.#options.name}" uses the shared state again`,
      );
    }
  }

  /**
   * Redis is unreachable (or refuses what the circuit needs): log one line per outage and carry on with a local breaker that starts
   * from the last shared view (open stays open until its retry time).
   */
  #onDown(reason: string): void {
    const backend = this.#backend;
    if (backend.kind === 'local' || backend.kind === 'disposed') return;
    const view = backend.kind === 'shared' ? backend.view : undefined;
    const openUntil = view === undefined || view.state === 'closed' ? undefined : view.retryAt;
    const breaker: LocalFallback = new LocalFallback({
      circuit: this.#options.name,
      level: 'local',
      settings: this.#options,
      isFailure: this.#options.isFailure,
      now: this.#options.now,
      openUntil,
      slowCallMs: this.#options.slowCallMs,
      onStateChange: (state) => {
        if (this.#backend.kind === 'local' && this.#backend.breaker === breaker) {
          this.#stateChanged(state);
        }
      },
    });
    this.#setBackend({ kind: 'local', breaker });
    this.#settleReady('local');
    this.#events.emit({ type: 'fallback', to: 'local', reason });
    this.#options.log(
      `fleet: ${this.#link.where} ${reason}; circuit "${this.#options.name}" carries on with a local breaker`,
    );
  }

  #setBackend(next: Backend): void {
    const previous = this.#backend;
    if (previous.kind === 'local' && (next.kind !== 'local' || next.breaker !== previous.breaker)) {
      previous.breaker.dispose(); // its slow-call timer
    }
    const before = this.state;
    this.#backend = next;
    const after = this.state;
    if (after !== before) this.#stateChanged(after);
  }

  #stateChanged(state: CircuitState): void {
    this.#events.transition(state);
    for (const listener of this.#stateListeners) {
      try {
        listener(state);
      } catch (error) {
        this.#listenerFailed(error);
      }
    }
  }

  /** A listener threw: never the call's failure, nor the process's; one line where logs go. */
  #listenerFailed(error: unknown): void {
    const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.#options.log(
      `shared-circuit: a listener of circuit "${this.#options.name}" threw: ${reason}`,
    );
  }
}

/** The database a caller's client selects (a cluster has only 0). */
function clientDb(client: Redis | Cluster): number {
  if (client.isCluster) return 0;
  const db = (client as Redis).options.db;
  return typeof db === 'number' ? db : 0;
}

/** `promise`, or the signal's reason as soon as it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
