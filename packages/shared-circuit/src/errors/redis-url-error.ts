import { hasBrand } from './brand.ts';
import { SharedCircuitOptionsError } from './options-error.ts';

/** A Redis URL that is not of a form the package reads; an options error too. */
export class RedisUrlError extends SharedCircuitOptionsError {
  override readonly name = 'RedisUrlError';
  readonly isSharedCircuitRedisUrlError = true;
}

export function isRedisUrlError(error: unknown): error is RedisUrlError {
  return hasBrand(error, 'isSharedCircuitRedisUrlError');
}
