import { InputError } from '../input-error.ts';

/** Bad input on the command line itself (an unknown flag, a missing value, a bad number). */
export class UsageError extends InputError {
  override readonly name = 'UsageError';
}

export function isUsageError(error: unknown): error is UsageError {
  return error instanceof UsageError;
}
