import { isInputError } from '../input-error.ts';
import { UsageError } from './usage-error.ts';

/**
 * Runs `parse` and, when it rejects its input, says where the input came from: `--schedule`, or
 * `--scenario scenarios/x.json`. The one place a field's error gains its flag.
 */
export function fromOption<T>(where: string, parse: () => T, separator = ': '): T {
  try {
    return parse();
  } catch (error) {
    if (isInputError(error)) throw new UsageError(`${where}${separator}${error.message}`);
    throw error;
  }
}
