import {
  CircuitOpenError,
  type Breaker,
  type BreakerLibrary,
  type BreakerSettings,
  type CircuitState,
} from '../breakers/breaker.ts';
import { StateListeners } from '../breakers/state-listeners.ts';

type Phase =
  /** The fleet's circuit was open when Redis went away: reject until `until` (local clock). */
  | { kind: 'held-open'; until: number }
  /** Past it: one call runs as the trial, the others are rejected. */
  | { kind: 'trial' }
  /** Closed when Redis went away, or a trial succeeded since: a fresh in-process breaker decides. */
  | { kind: 'library'; breaker: Breaker };

/**
 * The breaker a shared circuit runs on while Redis is unreachable. It starts from the last shared
 * view, so an outage of Redis never reopens a dependency the fleet is keeping away from: open, it
 * stays open until the fleet's retry time, then lets one trial through; a failed trial holds it
 * open for another reset timeout, a successful one hands over to a fresh breaker of the local
 * library. Closed, it is that library breaker from the start.
 */
export class LocalFallback implements Breaker {
  readonly #library: BreakerLibrary;
  readonly #settings: BreakerSettings;
  readonly #now: () => number;
  readonly #listeners = new StateListeners();
  #phase: Phase;

  constructor(
    library: BreakerLibrary,
    settings: BreakerSettings,
    openUntil: number | undefined,
    now: () => number,
  ) {
    this.#library = library;
    this.#settings = settings;
    this.#now = now;
    this.#phase =
      openUntil === undefined ? this.#libraryPhase() : { kind: 'held-open', until: openUntil };
  }

  get state(): CircuitState {
    switch (this.#phase.kind) {
      case 'held-open':
        return 'open';
      case 'trial':
        return 'half-open';
      case 'library':
        return this.#phase.breaker.state;
    }
  }

  onStateChange(listener: (state: CircuitState) => void): void {
    this.#listeners.add(listener);
  }

  async execute<T>(action: () => Promise<T>): Promise<T> {
    const phase = this.#phase;
    switch (phase.kind) {
      case 'library':
        return phase.breaker.execute(action);
      case 'trial':
        throw new CircuitOpenError('local');
      case 'held-open':
        if (this.#now() < phase.until) throw new CircuitOpenError('local');
        return this.#trial(action);
    }
  }

  dispose(): void | Promise<void> {
    if (this.#phase.kind === 'library') return this.#phase.breaker.dispose();
  }

  async #trial<T>(action: () => Promise<T>): Promise<T> {
    this.#setPhase({ kind: 'trial' });
    try {
      const value = await action();
      this.#setPhase(this.#libraryPhase());
      return value;
    } catch (error) {
      const failed = this.#settings.isFailure?.(error) ?? true;
      this.#setPhase(
        failed
          ? { kind: 'held-open', until: this.#now() + this.#settings.resetTimeoutMs }
          : this.#libraryPhase(),
      );
      throw error;
    }
  }

  #libraryPhase(): Phase {
    const breaker = this.#library.create(this.#settings);
    const phase: Phase = { kind: 'library', breaker };
    breaker.onStateChange((state) => {
      if (this.#phase === phase) this.#listeners.emit(state);
    });
    return phase;
  }

  #setPhase(next: Phase): void {
    const before = this.state;
    this.#phase = next;
    const after = this.state;
    if (after !== before) this.#listeners.emit(after);
  }
}
