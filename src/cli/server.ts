import { startMockServer } from '../server/mock-server.ts';
import { formatMode, MODE_FORMS, parseMode } from '../server/server-mode.ts';
import { isMain, runMain } from './main-guard.ts';
import { parsePort } from './numbers.ts';
import { commandLine } from './command-line.ts';
import { fromOption } from './option-context.ts';
import { UsageError } from './usage-error.ts';
import { MAX_TIMER_MS } from '../scenario/scenario-bounds.ts';

const SERVER_COMMAND = commandLine({
  usage: 'npm run server -- [options]',
  about: `The unreliable mock server on its own, to try a client by hand. Change its mode while it runs:
  curl -X PUT --data 'error=503' http://127.0.0.1:5000/__mock/mode
  curl http://127.0.0.1:5000/__mock/mode      (the mode and the request counts)`,
  options: {
    port: { value: '<n>', help: 'port to listen on, 0 for a free one (default 5000)' },
    host: {
      value: '<addr>',
      help: `address to bind (default 127.0.0.1, loopback only); the control endpoint
answers loopback clients only, whatever the address`,
    },
    mode: { value: '<mode>', help: `${MODE_FORMS} (default up)` },
    seed: { value: '<n>', help: 'seed of the random source behind flaky (default 1)' },
    quiet: { help: 'no access log' },
    help: { help: 'show this help' },
  },
});

export async function main(argv: readonly string[]): Promise<number> {
  const values = SERVER_COMMAND.parse(argv);
  if (values.help) return SERVER_COMMAND.printHelp();
  const mode = fromOption('--mode', () => parseMode(values.mode ?? 'up'));
  if (mode.kind === 'slow' && mode.ms > MAX_TIMER_MS) {
    throw new UsageError(
      `--mode: slow=<ms> takes at most ${MAX_TIMER_MS} ms (Node's timer limit), got "${values.mode}"`,
    );
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
