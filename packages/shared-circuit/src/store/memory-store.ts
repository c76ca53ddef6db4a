import type { TrialReply } from '../snapshot.ts';
import type { CircuitStore, StoreEvents, StoredCircuit, Transition } from './circuit-store.ts';
import { FleetRecord } from './fleet-record.ts';

export interface MemoryStoreOptions {
  /** The store's clock, in milliseconds: Redis's clock in a real fleet. Default `performance.now()`. */
  now?: () => number;
}

interface Attached {
  readonly circuit: StoredCircuit;
  readonly events: StoreEvents;
}

/**
 * A fleet's shared state in this process's memory instead of Redis, for tests: circuits given the
 * same store (option `store`) share their state as the processes of a fleet do through Redis,
 * decided by the same rules as the Lua scripts, on the clock you give it. `fail()` and `restore()`
 * stand for Redis going away and coming back. Nothing leaves the process: it is not a way to share
 * a circuit between processes.
 */
export class MemoryStore {
  readonly #now: () => number;
  readonly #records = new Map<string, FleetRecord>();
  readonly #attached = new Set<Attached>();
  #down: string | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    const now = options.now ?? (() => performance.now());
    if (typeof now !== 'function') {
      throw new TypeError(`MemoryStore: now must be a function, got ${String(now)}`);
    }
    this.#now = now;
  }

  /**
   * Redis went away, for every circuit on this store: each logs it once and runs on its local
   * breaker; transitions on the way get no answer. `reason` ends up in the log line.
   */
  fail(reason = 'went away'): void {
    if (this.#down !== undefined) return;
    this.#down = reason;
    tellEach(this.#attached, ({ events }) => events.down(reason));
  }

  /** Redis is back: every circuit reads the shared state again and uses it. */
  restore(): void {
    if (this.#down === undefined) return;
    this.#down = undefined;
    tellEach(this.#attached, (attached) => this.#announce(attached));
  }

  /** A circuit's use of this store (SharedCircuit calls it; you need not). */
  attach(circuit: StoredCircuit, events: StoreEvents): CircuitStore {
    const attached: Attached = { circuit, events };
    this.#attached.add(attached);
    // As a connection does, later: the circuit is built before it hears the state.
    queueMicrotask(() => {
      if (!this.#attached.has(attached)) return;
      if (this.#down === undefined) this.#announce(attached);
      else events.down(this.#down);
    });
    return {
      where: 'the memory store',
      run: (transition) => this.#run(attached, transition),
      close: () => {
        this.#attached.delete(attached);
        return Promise.resolve();
      },
    };
  }

  #run(attached: Attached, transition: Transition): Promise<TrialReply | undefined> {
    if (this.#down !== undefined || !this.#attached.has(attached)) {
      return Promise.resolve(undefined);
    }
    const { circuit } = attached;
    const { reply, changed } = this.#record(circuit).apply(transition, circuit);
    if (changed) {
      // Published, as Redis does, to every circuit of that name, apart from the reply: on a
      // microtask of its own (queued before the caller resumes; a circuit keeps the newer version).
      for (const other of this.#attached) {
        if (other.circuit.keys.state !== circuit.keys.state) continue;
        queueMicrotask(() => {
          if (this.#down === undefined && this.#attached.has(other)) other.events.change(reply);
        });
      }
    }
    return Promise.resolve(reply);
  }

  #announce({ circuit, events }: Attached): void {
    events.up(this.#record(circuit).read(circuit));
  }

  #record(circuit: StoredCircuit): FleetRecord {
    let record = this.#records.get(circuit.keys.state);
    if (record === undefined) {
      record = new FleetRecord(this.#now);
      this.#records.set(circuit.keys.state, record);
    }
    return record;
  }
}

/**
 * Tells every circuit, each apart: one whose `log` throws does not keep the others from hearing;
 * the first such error is thrown once all were told.
 */
function tellEach<T>(items: Iterable<T>, event: (item: T) => void): void {
  const errors: unknown[] = [];
  for (const item of items) {
    try {
      event(item);
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
}
