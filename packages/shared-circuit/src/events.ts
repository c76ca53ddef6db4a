import type { CircuitState } from './circuit-state.ts';
import { isCircuitOpenError, type RejectionLevel } from './errors/circuit-open-error.ts';

/** Where the circuit's state lived when the event happened (SharedCircuit.mode): in Redis, or in the local fallback. */
export type EventMode = 'connecting' | 'shared' | 'local' | 'disposed';

/** How a call whose action ran ended: `ignored` is an error `isFailure` said does not count. */
export type CallOutcome = 'success' | 'failure' | 'ignored';

/** Fields every event carries: which circuit, and its state and mode just after the event. */
export interface EventContext {
  circuit: string;
  state: CircuitState;
  mode: EventMode;
}

/** What happened, without its context. */
export type CircuitEventBody =
  | { type: 'transition'; from: CircuitState; to: CircuitState }
  /**
   * This process's own circuit (with `minProcesses` from 2) changed state: it opens on this
   * process's failures while the fleet's circuit (`state`) may stay closed.
   */
  | { type: 'process-transition'; from: CircuitState; to: CircuitState }
  /**
   * A call whose action ran (trial calls included); `durationMs` on the circuit's clock; `error`
   * what a failed or ignored call threw (undefined after a success).
   */
  | { type: 'call'; outcome: CallOutcome; trial: boolean; durationMs: number; error?: unknown }
  /** A call refused by the open circuit (at `level`: fleet, process or local): its action never ran. */
  | { type: 'rejected'; level: RejectionLevel }
  /** A trial call starts: its action runs while the circuit is not closed. */
  | { type: 'trial' }
  /**
   * Redis became unreachable, or refuses what the circuit needs, and a local breaker took over;
   * `reason` completes "Redis at <url> ...": `unreachable (<why>)`, `has no database 99 (...)`.
   */
  | { type: 'fallback'; to: 'local'; reason: string }
  /** Redis is back: the circuit uses the shared state again. */
  | { type: 'fallback'; to: 'shared' };

/**
 * What a SharedCircuit reports to `onEvent` listeners, as it happens in this process. A state
 * change another process made reaches this one by pub/sub and is reported as a transition too.
 */
export type SharedCircuitEvent = EventContext & CircuitEventBody;

export type SharedCircuitEventType = SharedCircuitEvent['type'];

/** What `observe` needs of the circuit's options. */
export interface ObserveOptions {
  isFailure: (error: unknown) => boolean;
  now: () => number;
}

/**
 * A circuit's events: listeners, the context stamped on each event, and the call observer. A
 * listener that throws does not break the call that emitted the event, nor the process: its
 * error goes to `listenerFailed` (the circuit's log).
 */
export class CircuitEvents {
  readonly #listeners = new Set<(event: SharedCircuitEvent) => void>();

  /** Somebody listens: calls must be observed. */
  get listening(): boolean {
    return this.#listeners.size > 0;
  }
  readonly #context: () => EventContext;
  readonly #listenerFailed: (error: unknown) => void;
  /** The last state reported: the next transition's `from`. */
  #state: CircuitState = 'closed';

  constructor(context: () => EventContext, listenerFailed: (error: unknown) => void) {
    this.#context = context;
    this.#listenerFailed = listenerFailed;
  }

  /** Adds a listener; returns the function that removes it. */
  add(listener: (event: SharedCircuitEvent) => void): () => void {
    // Wrapped, so the same function added twice is called twice and removed once per add.
    const entry = (event: SharedCircuitEvent) => listener(event);
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }

  emit(body: CircuitEventBody): void {
    if (this.#listeners.size === 0) return;
    const event: SharedCircuitEvent = { ...this.#context(), ...body };
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#listenerFailed(error);
      }
    }
  }

  /** The circuit reported a state to its state listeners: an event if it is a new one. */
  transition(to: CircuitState): void {
    const from = this.#state;
    if (to === from) return;
    this.#state = to;
    this.emit({ type: 'transition', from, to });
  }

  /**
   * Runs `action` through `execute` (the circuit's own call path) and reports it: a trial when the
   * action starts while the circuit is not closed (as the lab counts trials), the call's outcome,
   * or a rejection when the circuit refused it before the action ran.
   */
  async observe<T>(
    action: () => Promise<T>,
    execute: (action: () => Promise<T>) => Promise<T>,
    options: ObserveOptions,
  ): Promise<T> {
    // Nobody listening: the call costs what it did before events existed.
    if (this.#listeners.size === 0) return execute(action);
    let ran = false;
    const observed = async (): Promise<T> => {
      ran = true;
      const trial = this.#context().state !== 'closed';
      if (trial) this.emit({ type: 'trial' });
      const start = options.now();
      const durationMs = () => options.now() - start;
      try {
        const value = await action();
        this.emit({ type: 'call', outcome: 'success', trial, durationMs: durationMs() });
        return value;
      } catch (error) {
        const outcome = options.isFailure(error) ? 'failure' : 'ignored';
        this.emit({ type: 'call', outcome, trial, durationMs: durationMs(), error });
        throw error;
      }
    };
    try {
      return await execute(observed);
    } catch (error) {
      if (!ran && isCircuitOpenError(error)) this.emit({ type: 'rejected', level: error.level });
      throw error;
    }
  }
}
