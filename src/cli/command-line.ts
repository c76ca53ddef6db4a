import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.ts';

/** One option of a command: what `--help` says of it, and whether it takes a value. */
export interface OptionSpec {
  /** The value's placeholder in `--help` (`<n>`, `shared|local`); absent for a switch. */
  value?: string;
  /** What `--help` says; `\n` starts a continuation line. */
  help: string;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** What a command line parsed to: a string for each option with a value, `true` for a switch given. */
export type OptionValues<T extends OptionTable> = {
  [K in keyof T]?: T[K] extends { value: string } ? string : boolean;
};

export interface CommandSpec<T extends OptionTable> {
  /** How to call it: `npm start -- [options]`. */
  usage: string;
  /** Paragraphs under the usage line. */
  about?: string;
  options: T;
  /** Paragraphs after the options (environment, colours, ...). */
  footer?: string;
}

export interface CommandLine<T extends OptionTable> {
  /** The whole `--help` text. */
  readonly help: string;
  /** `--a <n>, --b, ...`: what an error about an unknown option lists. */
  readonly valid: string;
  /** Prints the `--help` text; returns exit code 0. */
  printHelp(): number;
  /** Parses argv strictly; bad input throws one UsageError line that lists the valid options. */
  parse(argv: readonly string[]): OptionValues<T>;
  /** The same, for a command with words besides its options (`circuit isolate payments`). */
  parseWithWords(argv: readonly string[]): { values: OptionValues<T>; words: string[] };
}

/**
 * A command's one option table, from which its parser, its `--help` and its list of valid options
 * all come: adding a flag is one edit.
 */
export function commandLine<const T extends OptionTable>(spec: CommandSpec<T>): CommandLine<T> {
  const entries = Object.entries(spec.options);
  const flags = entries.map(
    ([name, option]) => `--${name}${option.value ? ` ${option.value}` : ''}`,
  );
  const valid = flags.join(', ');
  const width = Math.max(...flags.map((flag) => flag.length)) + 2;
  const rows = entries.map(([, option], index) =>
    option.help
      .split('\n')
      .map((line, n) => `  ${(n === 0 ? (flags[index] ?? '') : '').padEnd(width)} ${line}`)
      .join('\n'),
  );
  const help = [
    `Usage: ${spec.usage}`,
    ...(spec.about ? [spec.about] : []),
    `Options:\n${rows.join('\n')}`,
    ...(spec.footer ? [spec.footer] : []),
  ].join('\n\n');
  const config = Object.fromEntries(
    entries.map(([name, option]) => [name, { type: option.value ? 'string' : 'boolean' } as const]),
  );
  return {
    help,
    valid,
    printHelp: () => {
      console.log(help);
      return 0;
    },
    parse: (argv) => parseCommandLine(argv, config, valid).values as OptionValues<T>,
    parseWithWords: (argv) => {
      const parsed = parseCommandLine(argv, config, valid, true);
      return { values: parsed.values as OptionValues<T>, words: parsed.positionals };
    },
  };
}

type ParseConfig = Record<string, { type: 'string' | 'boolean' }>;

/**
 * node's parseArgs, strict, with its errors turned into one UsageError line that lists the valid
 * options. `--speed -1` reaches the option's own validation (parseArgs alone calls it ambiguous).
 */
export function parseCommandLine<T extends ParseConfig>(
  argv: readonly string[],
  options: T,
  valid: string,
  allowPositionals = false,
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
    return parseArgs({ args, options, strict: true, allowPositionals });
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
