import { hasBrand } from './brand.ts';

/** No circuit of that name in the namespace (never used, or forgotten after a day unused). */
export class UnknownCircuitError extends Error {
  override readonly name = 'UnknownCircuitError';
  readonly isSharedCircuitUnknownError = true;
}

export function isUnknownCircuitError(error: unknown): error is UnknownCircuitError {
  return hasBrand(error, 'isSharedCircuitUnknownError');
}
