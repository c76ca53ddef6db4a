import type { CircuitState } from './circuit-state.ts';
import { CircuitOpenError, type RejectionLevel } from './errors/circuit-open-error.ts';
import { SlowCallWatch } from './slow-call-watch.ts';
import {
  afterFailure,
  afterSuccess,
  CLOSED,
  grantTrial,
  retryInMs,
  type PolicySettings,
  type PolicyState,
} from './policy.ts';

export interface LocalFallbackOptions {
  circuit: string;
  /** What its rejections say: `local` standing in for Redis, `process` as a process's own level. */
  level: RejectionLevel;
  settings: PolicySettings;
  isFailure: (error: unknown) => boolean;
  now: () => number;
  /** The fleet's circuit was open when Redis went away: stay open until then (local clock). */
  openUntil: number | undefined;
  onStateChange: (state: CircuitState, from: CircuitState) => void;
  /** A call still running after this counts as a failure then, once (the shared state's rule too). */
  slowCallMs?: number | undefined;
}

/**
 * The breaker a shared circuit runs on while Redis is unreachable: the same rules (policy.ts) in
 * this process's memory. It starts from the last shared view, so an outage of Redis never reopens
 * a dependency the fleet is keeping away from: open, it stays open until the fleet's retry time.
 */
export class LocalFallback {
  readonly #options: LocalFallbackOptions;
  readonly #slowCalls: SlowCallWatch | undefined;
  #record: PolicyState;

  constructor(options: LocalFallbackOptions) {
    this.#options = options;
    this.#slowCalls =
      options.slowCallMs === undefined
        ? undefined
        : new SlowCallWatch(options.slowCallMs, options.now);
    this.#record =
      options.openUntil === undefined
        ? CLOSED
        : {
            state: 'open',
            openedAt: options.openUntil - options.settings.resetTimeoutMs,
            spell: 0,
          };
  }

  get state(): CircuitState {
    return this.#record.state;
  }

  async execute<T>(action: () => Promise<T>): Promise<T> {
    const { settings, now, isFailure } = this.#options;
    let trial = false;
    const startedIn = this.#record.state === 'closed' ? this.#record.spell : undefined;
    if (this.#record.state !== 'closed') {
      const granted = grantTrial(this.#record, settings, now());
      if (granted === undefined) {
        throw new CircuitOpenError(
          this.#options.circuit,
          this.#options.level,
          retryInMs(this.#record, settings, now()),
        );
      }
      trial = true;
      this.#set(granted);
    }
    const failed = () => this.#set(afterFailure(this.#record, settings, now(), trial, startedIn));
    const watched = this.#slowCalls?.start(failed);
    // Counted already when it turned slow: its end changes nothing.
    const judged = () => watched !== undefined && (this.#slowCalls?.end(watched) ?? false);
    try {
      const value = await action();
      if (!judged()) this.#set(afterSuccess(this.#record, settings, trial));
      return value;
    } catch (error) {
      if (!judged()) {
        if (isFailure(error)) failed();
        else this.#set(afterSuccess(this.#record, settings, trial));
      }
      throw error;
    }
  }

  /** Stops the slow-call timer: the breaker is no longer used. */
  dispose(): void {
    this.#slowCalls?.dispose();
  }

  #set(next: PolicyState): void {
    const before = this.#record.state;
    this.#record = next;
    if (next.state !== before) this.#options.onStateChange(next.state, before);
  }
}
