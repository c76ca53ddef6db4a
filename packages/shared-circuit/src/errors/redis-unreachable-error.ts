import { hasBrand } from './brand.ts';

/** `CircuitControl` could not get an answer from Redis: not bad input. */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
  readonly isSharedCircuitRedisUnreachableError = true;
}

export function isRedisUnreachableError(error: unknown): error is RedisUnreachableError {
  return hasBrand(error, 'isSharedCircuitRedisUnreachableError');
}
