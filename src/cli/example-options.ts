import { parsePort, parsePositive } from './numbers.ts';
import { parseCommandLine } from './command-line.ts';
import { isMain } from './main-guard.ts';
import { isUsageError } from './usage-error.ts';

export interface ExampleOptions {
  /** Every duration is divided by this. Default 1, or the SPEED environment variable. */
  speed: number;
  /** Default 5000, like the seed; 0 picks a free port. */
  port: number;
  help: boolean;
}

export const EXAMPLE_USAGE = `Options:
  --speed <x>   divide every duration by x; printed times stay in scenario seconds (default 1, or $SPEED)
  --port <n>    port of the mock server, 0 for a free one (default 5000)
  --help        show this help`;

/** Reads the options every example takes; bad input throws UsageError. */
export function parseExampleOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ExampleOptions {
  const { values } = parseOptions(argv);
  const rawSpeed = values.speed ?? env['SPEED'];
  const speed =
    rawSpeed === undefined
      ? 1
      : parsePositive(values.speed !== undefined ? '--speed' : 'SPEED', rawSpeed);
  return {
    speed,
    port: values.port === undefined ? 5000 : parsePort(values.port),
    help: values.help ?? false,
  };
}

function parseOptions(argv: readonly string[]) {
  return parseCommandLine(
    argv,
    { speed: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean' } },
    '--speed <x>, --port <n>, --help',
  );
}

const DEFAULT_EXAMPLE_OPTIONS: ExampleOptions = { speed: 1, port: 5000, help: false };

/**
 * The options of an example run as a script: parsed from argv (one line and exit 2 on bad input,
 * usage and exit 0 on --help). Imported by a test, the example gets the defaults.
 */
export function exampleOptions(moduleUrl: string, script: string): ExampleOptions {
  if (!isMain(moduleUrl)) return DEFAULT_EXAMPLE_OPTIONS;
  try {
    const options = parseExampleOptions(process.argv.slice(2));
    if (options.help) {
      console.log(`Usage: ${script} [options]\n\n${EXAMPLE_USAGE}`);
      process.exit(0);
    }
    return options;
  } catch (error) {
    if (!isUsageError(error)) throw error;
    console.error(`error: ${error.message}`);
    process.exit(2);
  }
}
