/**
 * `npm run fleet:service`: the node:http service of fleet-demo/service.ts, a shared circuit per
 * upstream host. Argument parsing and wiring only.
 */
import { isMain, runMain } from './main-guard.ts';
import { commandLine } from './command-line.ts';
import { parsePort, parsePositive, parseWhole } from './numbers.ts';
import { startProxyService, type ProxyService } from '../fleet-demo/service.ts';
import { redisUrlFromEnv } from '../fleet-demo/redis-availability.ts';
import { SharedCircuits } from 'shared-circuit';

const SERVICE_COMMAND = commandLine({
  usage: 'npm run fleet:service -- [options]',
  about: `A node:http service: GET /proxy?url=<upstream> fetches the upstream through the shared
circuit of its host (one circuit per host, shared in Redis by every copy of the service).
Steer the circuits with npm run circuit.`,
  options: {
    port: { value: '<n>', help: 'port on 127.0.0.1, 0 for a free one (default 8080)' },
    namespace: { value: '<ns>', help: 'the circuits\' namespace (default "circuit")' },
    failures: { value: '<n>', help: "consecutive failures that open a host's circuit (default 3)" },
    'reset-timeout': { value: '<ms>', help: 'open for this long before trials (default 5000)' },
    'half-open-trials': { value: '<n>', help: 'trial calls at once, fleet-wide (default 1)' },
    'success-threshold': { value: '<n>', help: 'trial successes that close it (default 1)' },
    help: { help: 'show this help' },
  },
  footer: 'Reads REDIS_URL (default redis://127.0.0.1:6379).',
});

export async function main(argv: readonly string[]): Promise<number> {
  const values = SERVICE_COMMAND.parse(argv);
  if (values.help) return SERVICE_COMMAND.printHelp();
  const whole = (flag: string, raw: string | undefined, fallback: number) =>
    raw === undefined ? fallback : parseWhole(flag, raw);
  const options = {
    redisUrl: redisUrlFromEnv(),
    failures: whole('--failures', values.failures, 3),
    resetTimeoutMs:
      values['reset-timeout'] === undefined
        ? 5000
        : parsePositive('--reset-timeout', values['reset-timeout']),
    halfOpenTrials: whole('--half-open-trials', values['half-open-trials'], 1),
    successThreshold: whole('--success-threshold', values['success-threshold'], 1),
    ...(values.namespace === undefined ? {} : { namespace: values.namespace }),
  };
  const port = values.port === undefined ? 8080 : parsePort(values.port);
  // A bad namespace fails here, in one line naming it (the InputError family).
  const circuits = new SharedCircuits(options);
  let service: ProxyService;
  try {
    service = await startProxyService(port, circuits, (line) => console.log(line));
  } catch (error) {
    await circuits.dispose();
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.error(`error: port ${port} is in use; free it or choose another with --port`);
    return 1;
  }
  console.log(` * Service on ${service.url} (Ctrl-C to stop); try ${service.url}proxy?url=<url>`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await service.close();
  return 0;
}

if (isMain(import.meta.url)) await runMain(() => main(process.argv.slice(2)));
