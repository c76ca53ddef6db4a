import { hasBrand } from './brand.ts';
import { CircuitOpenError } from './circuit-open-error.ts';

/**
 * The circuit was isolated by hand (`CircuitControl.isolate`, `shared-circuit isolate`): every call
 * is rejected until it is released. A CircuitOpenError too, so one catch handles both.
 */
export class CircuitIsolatedError extends CircuitOpenError {
  override readonly name = 'CircuitIsolatedError';
  readonly isSharedCircuitIsolatedError = true;

  constructor(circuit: string) {
    super(circuit, 'fleet', undefined);
    this.message = `circuit "${circuit}" is isolated by hand, call rejected until it is released`;
  }
}

export function isCircuitIsolatedError(error: unknown): error is CircuitIsolatedError {
  return hasBrand(error, 'isSharedCircuitIsolatedError');
}
