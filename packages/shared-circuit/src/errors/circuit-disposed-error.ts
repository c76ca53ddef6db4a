import { hasBrand } from './brand.ts';

/** `execute` on a circuit after its `dispose()`: a bug in the caller's lifecycle, not an outage. */
export class CircuitDisposedError extends Error {
  override readonly name = 'CircuitDisposedError';
  readonly isSharedCircuitDisposedError = true;
  readonly circuit: string;

  constructor(circuit: string) {
    super(`circuit "${circuit}" was disposed; make a new one to call through it`);
    this.circuit = circuit;
  }
}

export function isCircuitDisposedError(error: unknown): error is CircuitDisposedError {
  return hasBrand(error, 'isSharedCircuitDisposedError');
}
