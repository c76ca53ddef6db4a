import { hasBrand } from './brand.ts';

/**
 * Which level refused the call: `fleet`, the circuit shared through Redis; `process`, this
 * process's own circuit (with `minProcesses` from 2: its calls fail while the fleet's succeed);
 * `local`, the in-process breaker that stands in while Redis is unreachable.
 */
export type RejectionLevel = 'fleet' | 'process' | 'local';

/**
 * The circuit refused the call: its action never ran. During one open period every rejection of a
 * circuit is the same frozen error, without a stack trace (a rejection runs on every call during
 * an outage, and capturing a stack is most of its cost); `retryInMs` is read afresh each time.
 */
export class CircuitOpenError extends Error {
  override readonly name: string = 'CircuitOpenError';
  readonly isSharedCircuitOpenError = true;
  /** The circuit that refused the call. */
  readonly circuit: string;
  readonly level: RejectionLevel;
  readonly #retryAt: number | undefined;
  readonly #now: () => number;

  /**
   * `retryInMs`: until this process may ask for a trial, undefined when none is due (isolated).
   * `now`: the clock it counts down on, default `performance.now()`.
   */
  constructor(
    circuit: string,
    level: RejectionLevel,
    retryInMs: number | undefined,
    options?: { cause?: unknown; now?: () => number },
  ) {
    super(`circuit "${circuit}" is open (${level}), call rejected`, options);
    this.circuit = circuit;
    this.level = level;
    this.#now = options?.now ?? (() => performance.now());
    this.#retryAt = retryInMs === undefined ? undefined : this.#now() + retryInMs;
  }

  /**
   * Milliseconds until this process may ask for a trial call, now (0: one may be asked for, while
   * the trials the fleet allows are all running); undefined when no trial is due (isolated).
   */
  get retryInMs(): number | undefined {
    return this.#retryAt === undefined ? undefined : Math.max(0, this.#retryAt - this.#now());
  }
}

/** True for a rejection by an open (or isolated) shared circuit, from any copy of the package. */
export function isCircuitOpenError(error: unknown): error is CircuitOpenError {
  return hasBrand(error, 'isSharedCircuitOpenError');
}

/** A frozen rejection without a stack trace, for one open period of a circuit. */
export function rejection(
  circuit: string,
  level: RejectionLevel,
  retryAt: number,
  now: () => number,
): CircuitOpenError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return Object.freeze(
      new CircuitOpenError(circuit, level, retryAt - now(), { now }),
    ) as CircuitOpenError;
  } finally {
    Error.stackTraceLimit = limit;
  }
}
