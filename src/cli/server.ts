import { startMockServer } from '../server/mock-server.ts';
import { formatMode, isModeError, MODE_FORMS, parseMode } from '../server/server-mode.ts';
import { isMain, runMain } from './main-guard.ts';
import { parsePort } from './numbers.ts';
import { parseCommandLine } from './parse-command-line.ts';
import { UsageError } from './usage-error.ts';

const USAGE = `Usage: npm run server -- [options]

The unreliable mock server on its own, to try a client by hand. Change its mode while it runs:
  curl -X PUT --data 'error=503' http://127.0.0.1:5000/__mock/mode
  curl http://127.0.0.1:5000/__mock/mode      (the mode and the request counts)

Options:
  --port <n>     port to listen on, 0 for a free one (default 5000)
  --host <addr>  address to bind (default 127.0.0.1, loopback only); the control endpoint
                 answers loopback clients only, whatever the address
  --mode <mode>  ${MODE_FORMS} (default up)
  --seed <n>     seed of the random source behind flaky (default 1)
  --quiet        no access log
  --help         show this help`;

const VALID = '--port, --host, --mode, --seed, --quiet, --help';

export async function main(argv: readonly string[]): Promise<number> {
  const string = { type: 'string' } as const;
  const { values } = parseCommandLine(
    argv,
    {
      port: string,
      host: string,
      mode: string,
      seed: string,
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    VALID,
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let mode;
  try {
    mode = parseMode(values.mode ?? 'up');
  } catch (error) {
    if (isModeError(error)) throw new UsageError(`--mode: ${error.message}`);
    throw error;
  }
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed))
    throw new UsageError(`--seed must be a whole number, got "${values.seed}"`);
  const server = await startMockServer({
    host: values.host ?? '127.0.0.1',
    port: values.port === undefined ? 5000 : parsePort(values.port),
    mode,
    seed,
    control: true,
    ...(values.quiet ? {} : { log: (line: string) => console.log(line) }),
  });
  console.log(
    ` * Mock server on ${server.url} in mode ${formatMode(server.mode)} (Ctrl-C to stop)`,
  );
  console.log(` * Change the mode: curl -X PUT --data 'error=503' ${server.url}__mock/mode`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.stop();
  console.log(
    ` * Stopped after ${server.requests.total} requests: ${JSON.stringify(server.requests.byMode)}`,
  );
  return 0;
}

if (isMain(import.meta.url)) await runMain(() => main(process.argv.slice(2)));
