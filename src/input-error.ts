import { isSharedCircuitOptionsError, isUnknownCircuitError } from 'shared-circuit';

/**
 * Bad input, whoever gave it: a server mode, a schedule, a scenario file, a shared-circuit option, a
 * Redis URL. The message names the field and shows the value, never a command-line flag: the command
 * line adds the flag (cli/option-context.ts) and maps the whole family to exit code 2 in one place
 * (cli/main-guard.ts). Each module's own error extends this one, as ky's errors extend `KyError`.
 */
export class InputError extends Error {
  override readonly name: string = 'InputError';
}

/**
 * Ours, or the shared-circuit package's bad input (an option, a Redis URL, an unknown circuit),
 * which the package cannot derive from ours: the command line treats them the same.
 */
export function isInputError(error: unknown): error is Error {
  return (
    error instanceof InputError ||
    isSharedCircuitOptionsError(error) ||
    isUnknownCircuitError(error)
  );
}
