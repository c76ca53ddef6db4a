import { Counter, Gauge, type Registry } from 'prom-client';
import type { CircuitState } from './circuit-state.ts';
import type { RejectionLevel } from './errors/circuit-open-error.ts';
import type { CallOutcome, EventMode, SharedCircuitEvent } from './events.ts';

const STATES: readonly CircuitState[] = ['closed', 'open', 'half-open'];
const MODES = ['shared', 'local'] as const;
const OUTCOMES: readonly CallOutcome[] = ['success', 'failure', 'ignored'];
const LEVELS: readonly RejectionLevel[] = ['fleet', 'process', 'local'];

export interface CircuitMetricsOptions {
  /** The prom-client registry the metrics are registered on. Required: this module never touches the global one. */
  registry: Registry;
  /** Start of every metric name. Default `fleet_circuit_`. */
  prefix?: string;
  /**
   * Labels besides `circuit` that every observed circuit or recorded event is given, such as
   * `worker` when one process collects the events of many. Default none.
   */
  labelNames?: readonly string[];
}

/** What `observe` reads of a circuit: SharedCircuit has all of it. */
export interface ObservableCircuit {
  readonly name: string;
  readonly state: CircuitState;
  readonly mode: EventMode;
  onEvent(listener: (event: SharedCircuitEvent) => void): () => void;
  /** When present, `observe` forgets the circuit's series once it is disposed. */
  onDispose?(listener: () => void): () => void;
}

type Labels = Record<string, string>;

/**
 * Prometheus metrics of shared circuits, fed by their events (events.ts): state and mode as
 * gauges (1 for the current value, 0 for the others), transitions, calls by outcome, rejected
 * calls, trial calls and fallbacks as counters. One instance per registry; it observes any number
 * of circuits, told apart by the `circuit` label.
 */
export class CircuitMetrics {
  readonly #labelNames: readonly string[];
  readonly #state: Gauge;
  readonly #mode: Gauge;
  readonly #transitions: Counter;
  readonly #processTransitions: Counter;
  readonly #calls: Counter;
  readonly #rejected: Counter;
  readonly #trials: Counter;
  readonly #fallbacks: Counter;
  /** Label sets seen, so each starts with every counter at 0 rather than absent. */
  readonly #seen = new Set<string>();

  constructor(options: CircuitMetricsOptions) {
    const prefix = options.prefix ?? 'fleet_circuit_';
    this.#labelNames = ['circuit', ...(options.labelNames ?? [])];
    const registers = [options.registry];
    const labels = (...more: string[]) => [...this.#labelNames, ...more];
    this.#state = new Gauge({
      name: `${prefix}state`,
      help: 'The circuit state as this process sees it: 1 for the current state, 0 for the others.',
      labelNames: labels('state'),
      registers,
    });
    this.#mode = new Gauge({
      name: `${prefix}mode`,
      help: 'Where the state lives: 1 for shared (Redis) or local (Redis unreachable), 0 for the other.',
      labelNames: labels('mode'),
      registers,
    });
    this.#transitions = new Counter({
      name: `${prefix}transitions_total`,
      help: 'State changes seen by this process, its own and those other processes made.',
      labelNames: labels('from', 'to'),
      registers,
    });
    this.#processTransitions = new Counter({
      name: `${prefix}process_transitions_total`,
      help: "State changes of this process's own circuit (minProcesses from 2), under the fleet's.",
      labelNames: labels('from', 'to'),
      registers,
    });
    this.#calls = new Counter({
      name: `${prefix}calls_total`,
      help: 'Calls whose action ran, by outcome (ignored: an error isFailure did not count).',
      labelNames: labels('outcome'),
      registers,
    });
    this.#rejected = new Counter({
      name: `${prefix}rejected_total`,
      help: 'Calls the open circuit refused without running them, by the level that refused them (fleet, process, local).',
      labelNames: labels('level'),
      registers,
    });
    this.#trials = new Counter({
      name: `${prefix}trial_calls_total`,
      help: 'Trial calls (the action ran while the circuit was not closed), by outcome.',
      labelNames: labels('outcome'),
      registers,
    });
    this.#fallbacks = new Counter({
      name: `${prefix}fallbacks_total`,
      help: 'Switches to the local breaker (to="local") and back to the shared state (to="shared").',
      labelNames: labels('to'),
      registers,
    });
  }

  /**
   * Records the circuit's events from now on, and removes its series when it is disposed (a
   * SharedCircuits key forgotten while idle included); returns the function that stops it.
   */
  observe(circuit: ObservableCircuit, labels: Labels = {}): () => void {
    const base = this.#base(circuit.name, labels);
    this.#setState(base, circuit.state);
    this.#setMode(base, circuit.mode);
    const stopRecording = circuit.onEvent((event) => this.record(event, labels));
    const stopWatching = circuit.onDispose?.(() => {
      stopRecording();
      this.forget(circuit.name, labels);
    });
    return () => {
      stopRecording();
      stopWatching?.();
    };
  }

  /**
   * Removes every series of `circuit` with these labels, for a circuit gone for good whose events
   * came through `record` (`observe` does it by itself on dispose). Recorded again, it starts at 0.
   */
  forget(circuit: string, labels: Labels = {}): void {
    const base = this.#labels(circuit, labels);
    if (!this.#seen.delete(JSON.stringify(base))) return;
    for (const state of STATES) this.#state.remove({ ...base, state });
    for (const mode of MODES) this.#mode.remove({ ...base, mode });
    for (const from of STATES) {
      for (const to of STATES) {
        this.#transitions.remove({ ...base, from, to });
        this.#processTransitions.remove({ ...base, from, to });
      }
    }
    for (const outcome of OUTCOMES) this.#calls.remove({ ...base, outcome });
    for (const outcome of OUTCOMES) this.#trials.remove({ ...base, outcome });
    for (const level of LEVELS) this.#rejected.remove({ ...base, level });
    for (const to of MODES) this.#fallbacks.remove({ ...base, to });
  }

  /** Records one event, for events that arrive from elsewhere (another process, a message queue). */
  record(event: SharedCircuitEvent, labels: Labels = {}): void {
    const base = this.#base(event.circuit, labels);
    this.#setState(base, event.state);
    this.#setMode(base, event.mode);
    switch (event.type) {
      case 'transition':
        this.#transitions.inc({ ...base, from: event.from, to: event.to });
        return;
      case 'process-transition':
        this.#processTransitions.inc({ ...base, from: event.from, to: event.to });
        return;
      case 'call':
        this.#calls.inc({ ...base, outcome: event.outcome });
        if (event.trial) this.#trials.inc({ ...base, outcome: event.outcome });
        return;
      case 'rejected':
        this.#rejected.inc({ ...base, level: event.level });
        return;
      case 'trial':
        return; // counted with its outcome when the call ends
      case 'fallback':
        this.#fallbacks.inc({ ...base, to: event.to });
        return;
    }
  }

  /** The label set for `circuit`, checked; a label set seen the first time starts every counter at 0. */
  #base(circuit: string, labels: Labels): Labels {
    const base = this.#labels(circuit, labels);
    const key = JSON.stringify(base);
    if (!this.#seen.has(key)) {
      this.#seen.add(key);
      for (const outcome of OUTCOMES) this.#calls.inc({ ...base, outcome }, 0);
      for (const outcome of OUTCOMES) this.#trials.inc({ ...base, outcome }, 0);
      for (const level of LEVELS) this.#rejected.inc({ ...base, level }, 0);
      for (const to of MODES) this.#fallbacks.inc({ ...base, to }, 0);
    }
    return base;
  }

  /** The label set for `circuit`, checked. */
  #labels(circuit: string, labels: Labels): Labels {
    const base: Labels = { circuit };
    for (const name of this.#labelNames.slice(1)) {
      const value = labels[name];
      if (value === undefined) throw new Error(`CircuitMetrics: label "${name}" is missing`);
      base[name] = value;
    }
    return base;
  }

  #setState(base: Labels, current: CircuitState): void {
    for (const state of STATES) this.#state.set({ ...base, state }, state === current ? 1 : 0);
  }

  #setMode(base: Labels, current: EventMode): void {
    for (const mode of MODES) this.#mode.set({ ...base, mode }, mode === current ? 1 : 0);
  }
}
