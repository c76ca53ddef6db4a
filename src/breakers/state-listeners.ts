import type { CircuitState } from './breaker.ts';

/** Fan-out of state changes for adapters whose library has no single state event. */
export class StateListeners {
  readonly #listeners: ((state: CircuitState) => void)[] = [];
  add(listener: (state: CircuitState) => void): void {
    this.#listeners.push(listener);
  }
  emit(state: CircuitState): void {
    for (const listener of this.#listeners) listener(state);
  }
}
