import { hasBrand } from './brand.ts';

/**
 * Which level refused the call: `fleet`, the circuit shared through Redis; `local`, the in-process
 * breaker that stands in while Redis is unreachable.
 */
export type RejectionLevel = 'fleet' | 'local';

/** The circuit refused the call: its action never ran. */
export class CircuitOpenError extends Error {
  override readonly name: string = 'CircuitOpenError';
  readonly isSharedCircuitOpenError = true;
  /** The circuit that refused the call. */
  readonly circuit: string;
  readonly level: RejectionLevel;
  /**
   * Milliseconds until this process may ask for a trial call (0: one may be asked for now, while
   * the trials the fleet allows are all running); undefined when no trial is due (isolated).
   */
  readonly retryInMs: number | undefined;

  constructor(
    circuit: string,
    level: RejectionLevel,
    retryInMs: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(`circuit "${circuit}" is open (${level}), call rejected`, options);
    this.circuit = circuit;
    this.level = level;
    this.retryInMs = retryInMs;
  }
}

/** True for a rejection by an open (or isolated) shared circuit, from any copy of the package. */
export function isCircuitOpenError(error: unknown): error is CircuitOpenError {
  return hasBrand(error, 'isSharedCircuitOpenError');
}
