#!/usr/bin/env node
/**
 * `npx shared-circuit <command> [name]`: an operator's view of the shared circuits in Redis and
 * their hand on them (CircuitControl). Argument parsing and printing only.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CircuitControl, type CircuitStatus, type ControlAction } from './control.ts';
import { isSharedCircuitOptionsError } from './errors/options-error.ts';
import { isRedisUnreachableError } from './errors/redis-unreachable-error.ts';
import { isUnknownCircuitError } from './errors/unknown-circuit-error.ts';
import { redisUrlFromEnv } from './redis-url.ts';

/** The commands, with what `--help` says of each: the one list the parser and the help use. */
const COMMANDS = {
  list: 'every circuit of the namespace: state, failures, time till trial, forced',
  status: '<name>: one circuit, with its half-open settings',
  isolate: '<name>: force it open in every process until released: no trial, every call rejected',
  release: '<name>: end an isolation; the next calls are trials, as after any open circuit',
  reset: '<name>: close it in every process now and clear its failure count',
} as const satisfies Record<'list' | ControlAction, string>;

type Command = keyof typeof COMMANDS;

const HELP = `Usage: shared-circuit <${Object.keys(COMMANDS).join('|')}> [name] [options]

${Object.entries(COMMANDS)
  .map(([name, help]) => `  ${name.padEnd(8)} ${help}`)
  .join('\n')}

Options:
  --namespace <ns>  the circuits' namespace (default "circuit")
  --json            print one JSON document instead of a table
  --help            show this help

Reads REDIS_URL (default redis://127.0.0.1:6379; redis-cluster:// and redis-sentinel:// too).
Exit code 2 for bad input or an unknown circuit, 1 when Redis does not answer.`;

/** Bad words on the command line: one line, exit 2. */
class UsageError extends Error {}

/** Runs the command; returns its exit code. Output goes to `out` and `err` (the console by default). */
export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  out: (line: string) => void = (line) => console.log(line),
  err: (line: string) => void = (line) => console.error(line),
): Promise<number> {
  try {
    return await run(argv, env, out);
  } catch (error) {
    if (
      error instanceof UsageError ||
      isSharedCircuitOptionsError(error) ||
      isUnknownCircuitError(error)
    ) {
      err(`error: ${error.message}`);
      return 2;
    }
    if (isRedisUnreachableError(error)) {
      err(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

async function run(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        namespace: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // parseArgs says e.g. "Unknown option '--bogus'"; the help lists the valid ones.
    throw new UsageError(`${(error as Error).message}; see shared-circuit --help`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(HELP);
    return 0;
  }
  const [command, name, ...extra] = positionals;
  const valid = Object.keys(COMMANDS).join(', ');
  if (command === undefined) throw new UsageError(`give a command: ${valid}`);
  if (!(command in COMMANDS)) throw new UsageError(`unknown command "${command}"; valid: ${valid}`);
  const action = command as Command;
  if (action === 'list' ? name !== undefined : extra.length > 0) {
    throw new UsageError(`unexpected argument "${action === 'list' ? name : extra[0]}"`);
  }
  if (action !== 'list' && name === undefined) {
    throw new UsageError(`${action} needs a circuit name: shared-circuit ${action} <name>`);
  }
  const namespace = values.namespace ?? 'circuit';
  const control = new CircuitControl({ redisUrl: redisUrlFromEnv(env), namespace });
  try {
    if (action === 'list') {
      const circuits = await control.list();
      out(
        values.json
          ? JSON.stringify({ namespace, circuits }, null, 2)
          : circuits.length === 0
            ? `no circuits in namespace "${namespace}"`
            : formatTable(circuits),
      );
      return 0;
    }
    const status = await control[action](name ?? '');
    if (values.json) out(JSON.stringify({ namespace, action, circuit: status }, null, 2));
    else out(`${DONE[action](status.name)}\n\n${formatTable([status])}`);
    return 0;
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

// Run when started as the bin (npx resolves a symlink in node_modules/.bin), not when imported.
const script = process.argv[1];
if (script !== undefined && realpathSync(script) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
