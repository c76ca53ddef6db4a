import { pathToFileURL } from 'node:url';
import { isListenError, isPortInUseError } from '../server/mock-server.ts';
import { isInputError } from '../input-error.ts';
import { isChromiumMissingError } from '../report/timeline/chromium.ts';

/** True when the module at `url` is the script node was started with (not imported by a test). */
export function isMain(url: string): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(script).href === url;
}

/**
 * Runs a command's main function: bad input (the InputError family) or a missing Chromium prints one
 * line and exits 2, a taken port one line and exit 1, anything else is a bug and keeps its stack trace.
 */
export async function runMain(main: () => Promise<number | void>): Promise<void> {
  // `npm start | head`: the reader went away; stop quietly instead of crashing on EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
  try {
    const code = await main();
    if (typeof code === 'number') process.exitCode = code;
  } catch (error) {
    if (isInputError(error) || isChromiumMissingError(error)) {
      console.error(`error: ${error.message}`);
      process.exitCode = 2;
    } else if (isPortInUseError(error)) {
      console.error(`error: ${error.message}; free it or choose another with --port`);
      process.exitCode = 1;
    } else if (isListenError(error)) {
      console.error(`error: ${error.message}`);
      process.exitCode = 1;
    } else {
      throw error;
    }
  }
}
