import type { TestContext } from 'node:test';
import { MemoryStore, SharedCircuit, type SharedCircuitOptions } from '../../src/index.ts';

/** A clock that moves only when told: the store's and every circuit's. */
export class ManualClock {
  ms = 1_000;
  readonly now = (): number => this.ms;
  moveOn(ms: number): void {
    this.ms += ms;
  }
}

type FleetOptions = Omit<SharedCircuitOptions, 'store' | 'now'> & Partial<SharedCircuitOptions>;

/**
 * A fleet in memory: a MemoryStore and its clock, and circuits on it, each as one process of a
 * fleet would hold it. Circuits are disposed when the test ends.
 */
export class MemoryFleet {
  readonly clock = new ManualClock();
  readonly store = new MemoryStore({ now: this.clock.now });
  readonly logged: string[] = [];
  readonly #t: TestContext;

  constructor(t: TestContext) {
    this.#t = t;
  }

  /** A circuit on the store, once ready: shared, or local when the store is failed. */
  async circuit(options: FleetOptions): Promise<SharedCircuit> {
    const circuit = new SharedCircuit({
      log: (line) => this.logged.push(line),
      ...options,
      store: options.store ?? this.store,
      now: options.now ?? this.clock.now,
    });
    this.#t.after(() => circuit.dispose());
    await circuit.ready();
    return circuit;
  }

  async circuits(count: number, options: FleetOptions): Promise<SharedCircuit[]> {
    return Promise.all(Array.from({ length: count }, () => this.circuit(options)));
  }
}

/** Lets the store's published changes reach every circuit (each on a microtask of its own). */
export function heard(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export const fail = (): Promise<never> => Promise.reject(new Error('down'));
export const succeed = (): Promise<string> => Promise.resolve('ok');
