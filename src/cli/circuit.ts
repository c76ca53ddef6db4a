/**
 * `npm run circuit -- <command> [name]`: an operator's view of the shared circuits in Redis, and
 * their hand on them (see fleet/control.ts). Argument parsing and printing only.
 */
import { isMain, runMain } from './main-guard.ts';
import { commandLine } from './command-line.ts';
import { fromOption } from './option-context.ts';
import { UsageError } from './usage-error.ts';
import {
  CircuitControl,
  isRedisUnreachableError,
  type CircuitStatus,
  type ControlAction,
} from 'shared-circuit';
import { redisUrlFromEnv } from '../fleet-demo/redis-availability.ts';

/** The commands, with what `--help` says of each: the one list the parser and the help use. */
const COMMANDS = {
  list: 'every circuit of the namespace: state, failures, time till trial, forced',
  status: '<name>: one circuit, with its half-open settings',
  isolate: '<name>: force it open in every process until released: no trial, every call rejected',
  release: '<name>: end an isolation; the next calls are trials, as after any open circuit',
  reset: '<name>: close it in every process now and clear its failure count',
} as const satisfies Record<'list' | ControlAction, string>;

type Command = keyof typeof COMMANDS;

export const CIRCUIT_COMMAND = commandLine({
  usage: `npm run circuit -- <${Object.keys(COMMANDS).join('|')}> [name] [options]`,
  about: Object.entries(COMMANDS)
    .map(([name, help]) => `  ${name.padEnd(8)} ${help}`)
    .join('\n'),
  options: {
    namespace: { value: '<ns>', help: 'the circuits\' namespace (default "circuit")' },
    json: { help: 'print one JSON document instead of a table' },
    help: { help: 'show this help' },
  },
  footer:
    'Reads REDIS_URL (default redis://127.0.0.1:6379). Exit code 2 for bad input or an unknown\ncircuit, 1 when Redis does not answer.',
});

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const { values, words } = CIRCUIT_COMMAND.parseWithWords(argv);
  if (values.help) return CIRCUIT_COMMAND.printHelp();
  const [command, name, ...extra] = words;
  const valid = Object.keys(COMMANDS).join(', ');
  if (command === undefined) throw new UsageError(`give a command: ${valid}`);
  if (!(command in COMMANDS)) throw new UsageError(`unknown command "${command}"; valid: ${valid}`);
  const action = command as Command;
  if (action === 'list' ? name !== undefined : extra.length > 0) {
    throw new UsageError(`unexpected argument "${action === 'list' ? name : extra[0]}"`);
  }
  if (action !== 'list' && name === undefined) {
    throw new UsageError(`${action} needs a circuit name: npm run circuit -- ${action} <name>`);
  }
  const namespace = values.namespace ?? 'circuit';
  const control = fromOption(
    '--namespace',
    () => new CircuitControl({ redisUrl: redisUrlFromEnv(), namespace }),
  );
  try {
    if (action === 'list') {
      const circuits = await control.list();
      console.log(
        values.json
          ? JSON.stringify({ namespace, circuits }, null, 2)
          : circuits.length === 0
            ? `no circuits in namespace "${namespace}"`
            : formatTable(circuits),
      );
      return 0;
    }
    const status = await control[action](name ?? '');
    if (values.json) console.log(JSON.stringify({ namespace, action, circuit: status }, null, 2));
    else console.log(`${DONE[action](status.name)}\n\n${formatTable([status])}`);
    return 0;
  } catch (error) {
    if (!isRedisUnreachableError(error)) throw error;
    console.error(`error: ${error.message}`);
    return 1;
  } finally {
    await control.close();
  }
}

const DONE: Record<ControlAction, (name: string) => string> = {
  status: (name) => `circuit "${name}"`,
  isolate: (name) => `isolated "${name}": every process rejects its calls until it is released`,
  release: (name) => `released "${name}"`,
  reset: (name) => `reset "${name}": closed, failure count cleared`,
};

function formatTable(circuits: readonly CircuitStatus[]): string {
  const rows = [
    ['circuit', 'state', 'failures', 'trial in', 'forced', 'trials', 'settings'],
    ...circuits.map((circuit) => [
      circuit.name,
      circuit.state,
      String(circuit.failures),
      circuit.trialInMs === null ? '-' : `${(circuit.trialInMs / 1000).toFixed(1)} s`,
      circuit.forced ? 'isolated' : 'no',
      `${circuit.trialsRunning}/${circuit.halfOpenTrials}`,
      `reset ${circuit.resetTimeoutMs} ms, ${circuit.successThreshold} success${circuit.successThreshold === 1 ? '' : 'es'} to close`,
    ]),
  ];
  const widths = rows[0]!.map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

if (isMain(import.meta.url)) await runMain(main);
