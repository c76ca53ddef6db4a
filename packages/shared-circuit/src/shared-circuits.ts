import { SharedCircuit } from './shared-circuit.ts';
import {
  checkName,
  milliseconds,
  resolveOptions,
  type SharedCircuitOptions,
} from './shared-circuit-options.ts';

export interface SharedCircuitsOptions extends Omit<SharedCircuitOptions, 'name'> {
  /**
   * A key's circuit not asked for (`get`) for this long is disposed and forgotten, so a process
   * that meets many hosts does not keep them all; asked for again, it is made again and reads its
   * state from Redis, where the fleet's state stays. Default 600000 (10 minutes).
   */
  idleMs?: number;
}

/**
 * One shared circuit per key (a host, an endpoint, a tenant), made on first use:
 * `circuits.get('api.example.com').execute(...)`. Every key's circuit has the same options, and
 * they all share the process's one connection pair to Redis (redis-connection.ts): 10,000 keys,
 * 2 connections. A key's circuit is named after the key, so every process of the fleet that uses
 * the key shares its circuit, and `npm run circuit` controls it by that name.
 */
export class SharedCircuits {
  readonly #options: Omit<SharedCircuitOptions, 'name'>;
  readonly #idleMs: number;
  readonly #now: () => number;
  readonly #circuits = new Map<string, { circuit: SharedCircuit; usedAt: number }>();
  #sweptAt: number;
  #sweeper: NodeJS.Timeout | undefined;
  #disposed = false;

  constructor(options: SharedCircuitsOptions) {
    // Every option checked now, with a stand-in name, so a bad one fails here, not on first use.
    resolveOptions({ ...options, name: 'key' });
    const idleMs = milliseconds('idleMs', options.idleMs ?? 600_000);
    this.#options = options; // the circuits ignore idleMs
    this.#idleMs = idleMs;
    this.#now = options.now ?? (() => performance.now());
    this.#sweptAt = this.#now();
  }

  /** The circuit of `key`, made (and connected in the background) on first use. */
  get(key: string): SharedCircuit {
    if (this.#disposed) throw new Error('SharedCircuits was disposed');
    const now = this.#now();
    const known = this.#circuits.get(key);
    if (known !== undefined) {
      known.usedAt = now;
      if (now - this.#sweptAt >= this.#idleMs / 2) this.#sweep(now);
      return known.circuit;
    }
    const circuit = new SharedCircuit({ ...this.#options, name: checkName('key', key, true) });
    this.#circuits.set(key, { circuit, usedAt: now });
    this.#sweep(now);
    return circuit;
  }

  /** How many keys have a circuit now. */
  get size(): number {
    return this.#circuits.size;
  }

  /** The keys that have a circuit now. */
  keys(): string[] {
    return [...this.#circuits.keys()];
  }

  /** Disposes every key's circuit (the connection pair closes with the last one). */
  async dispose(): Promise<void> {
    this.#disposed = true;
    clearInterval(this.#sweeper);
    const circuits = [...this.#circuits.values()];
    this.#circuits.clear();
    await Promise.all(circuits.map(({ circuit }) => circuit.dispose()));
  }

  /**
   * Forgets the circuits idle for `idleMs`. Runs when `get` is called at least half that apart,
   * and on a timer while any circuit is kept, so an idle process forgets too.
   */
  #sweep(now: number): void {
    if (now - this.#sweptAt >= this.#idleMs / 2) {
      this.#sweptAt = now;
      for (const [key, entry] of this.#circuits) {
        if (now - entry.usedAt < this.#idleMs) continue;
        this.#circuits.delete(key);
        // A call still running on it finishes; its outcome is not sent to Redis any more.
        void entry.circuit.dispose();
      }
    }
    if (this.#circuits.size === 0) {
      clearInterval(this.#sweeper);
      this.#sweeper = undefined;
    } else if (this.#sweeper === undefined) {
      this.#sweeper = setInterval(() => this.#sweep(this.#now()), this.#idleMs / 2);
      this.#sweeper.unref();
    }
  }
}
