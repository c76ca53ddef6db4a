/**
 * The command line every example shares (--speed or SPEED, --port, --help) and how it runs as a
 * script. It lives beside the mock server because an example imports nothing of the project but
 * src/server/index.ts (test/examples-import-only-their-library.test.ts), so the example's file
 * keeps only its library's code; the lab's own commands use src/cli/.
 */
import { basename } from 'node:path';
import { InputError } from '../input-error.ts';
import { isListenError } from './mock-server.ts';

export interface ExampleOptions {
  /** Every duration is divided by this; printed times stay in scenario seconds. Default 1. */
  speed: number;
  /** The mock server's port, 0 for a free one. Default 5000, the seed's. */
  port: number;
}

/** Bad input on an example's command line; the message names the flag (or SPEED) and the value. */
export class ExampleOptionsError extends InputError {
  override readonly name = 'ExampleOptionsError';
}

/**
 * Reads an example's arguments (`--speed 10` or `--speed=10`) and SPEED from `env`.
 * `help` is true when --help came before anything wrong.
 */
export function parseExampleOptions(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): ExampleOptions & { help: boolean } {
  const fail = (message: string): never => {
    throw new ExampleOptionsError(message);
  };
  const given = new Map<string, string>();
  for (let i = 0; i < args.length; i += 1) {
    const [flag = '', inline] = (args[i] ?? '').split(/=(.*)/);
    if (flag === '--help') return { help: true, ...EXAMPLE_DEFAULTS };
    if (flag !== '--speed' && flag !== '--port') {
      fail(`unknown option ${flag}; valid options: --speed <x>, --port <n>, --help`);
    }
    given.set(flag, inline ?? args[(i += 1)] ?? fail(`${flag} needs a value`));
  }
  const speedFrom = given.has('--speed') ? '--speed' : 'SPEED';
  const rawSpeed = given.get('--speed') ?? env['SPEED'] ?? '1';
  const speed = rawSpeed.trim() === '' ? NaN : Number(rawSpeed);
  // Below 0.01x the 20 s scenario takes half an hour, and far below Node's timers overflow;
  // past 1000x its timings drown in the machine's own.
  if (!(speed >= 0.01 && speed <= 1000)) {
    fail(`${speedFrom} must be a number from 0.01 to 1000, got "${rawSpeed}"`);
  }
  const rawPort = given.get('--port') ?? String(EXAMPLE_DEFAULTS.port);
  const port = rawPort.trim() === '' ? NaN : Number(rawPort);
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    fail(`--port must be a whole number from 0 to 65535, got "${rawPort}"`);
  }
  return { help: false, speed, port };
}

const EXAMPLE_DEFAULTS: ExampleOptions = { speed: 1, port: 5000 };

function usage(command: string): string {
  return [
    `Usage: npm run ${command} -- [options]\n\nOptions:`,
    '  --speed <x>   divide every duration by x; printed times stay in scenario seconds (default 1, or $SPEED)',
    '  --port <n>    port of the mock server, 0 for a free one (default 5000)',
    '  --help        show this help',
  ].join('\n');
}

/**
 * The options of the example at `file` (its `import.meta.filename`). Run as a script (Python's
 * `if __name__ == "__main__"`), from the command line: --help prints the usage and exits 0, bad
 * input prints one line and exits 2. Imported (by a test), the defaults.
 */
export function exampleCommandLine(file: string): ExampleOptions & { isScript: boolean } {
  if (process.argv[1] !== file) return { isScript: false, ...EXAMPLE_DEFAULTS };
  try {
    const { help, ...options } = parseExampleOptions(process.argv.slice(2), process.env);
    if (help) {
      console.log(usage(`example:${basename(file, '.ts')}`));
      process.exit(0);
    }
    return { isScript: true, ...options };
  } catch (error) {
    if (!(error instanceof ExampleOptionsError)) throw error;
    console.error(`error: ${error.message}`);
    process.exit(2);
  }
}

/**
 * Runs an example's `main` as a script: stops quietly when the reader closes the pipe (`| head`),
 * and a port it cannot listen on (5000 already in use: try --port 0) is one line and exit code 1.
 */
export async function runExample(main: () => Promise<void>): Promise<void> {
  process.stdout.on('error', () => process.exit(0));
  try {
    await main();
  } catch (error) {
    if (!isListenError(error)) throw error;
    console.error(`error: ${error.message}`);
    process.exitCode = 1;
  }
}

/**
 * A recipe's command line: no options. `--help` prints its usage (`npm run example:<name>` and
 * `note`, if given) and exits 0; anything else is one line and exit 2.
 */
export function recipeTakesNoOptions(name: string, note?: string): void {
  const first = process.argv[2];
  if (first === undefined) return;
  if (first === '--help') {
    console.log(
      `Usage: npm run example:${name} (no options${note === undefined ? '' : `; ${note}`})`,
    );
    process.exit(0);
  }
  console.error(`error: unknown option ${first}; this recipe takes none`);
  process.exit(2);
}
