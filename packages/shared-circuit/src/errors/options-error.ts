import { hasBrand } from './brand.ts';

/**
 * A bad option, thrown by the constructor before anything connects. The message names the
 * option and shows the value: `failures must be a whole number >= 1, got 0`.
 */
export class SharedCircuitOptionsError extends Error {
  override readonly name: string = 'SharedCircuitOptionsError';
  readonly isSharedCircuitOptionsError = true;
}

export function isSharedCircuitOptionsError(error: unknown): error is SharedCircuitOptionsError {
  return hasBrand(error, 'isSharedCircuitOptionsError');
}
