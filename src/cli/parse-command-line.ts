import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node's parseArgs, strict, with its errors turned into one UsageError line that lists the valid
 * options. `--speed -1` reaches the option's own validation (parseArgs alone calls it ambiguous).
 */
export function parseCommandLine<T extends Options>(
  argv: readonly string[],
  options: T,
  valid: string,
) {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (
      name &&
      options[name]?.type === 'string' &&
      next !== undefined &&
      /^-\d|^-\.\d/.test(next)
    ) {
      args.push(`${arg}=${next}`);
      i += 1;
    } else {
      args.push(arg);
    }
  }
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw toUsageError(error, valid);
  }
}

function toUsageError(error: unknown, valid: string): UsageError {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return new UsageError(`unknown option ${unknown[1]}; valid options: ${valid}`);
  const missing = /Option '(-[^ ']*)[^']*' argument missing/.exec(message);
  if (missing) return new UsageError(`${missing[1]} needs a value; valid options: ${valid}`);
  const positional = /Unexpected argument '([^']+)'/.exec(message);
  if (positional) {
    return new UsageError(`unexpected argument "${positional[1]}"; valid options: ${valid}`);
  }
  return new UsageError(`${message.replace(/\.$/, '')}; valid options: ${valid}`);
}
