import { parsePositive, parseWhole } from '../cli/numbers.ts';
import { parseCommandLine } from '../cli/parse-command-line.ts';
import { UsageError } from '../cli/usage-error.ts';
import { FLEET_MODES, type FleetMode } from './worker-protocol.ts';

export interface FleetCliOptions {
  /** Worker processes. Default 4. */
  workers: number;
  /** Default: both, one after the other, reported side by side. */
  mode: FleetMode | 'both';
  /** Consecutive failures that open a circuit. Default 3. */
  failures: number;
  /** Default 2000 ms, so a 10 s outage spans several reset periods. */
  resetTimeoutMs: number;
  /** How long the server is down. Default 10 000 ms. */
  downMs: number;
  /** How long the server is up before the outage. Default 2000 ms. */
  upMs: number;
  /** Each worker calls the server this often. Default 100 ms. */
  intervalMs: number;
  /** A call with no answer after this long fails. Default 1000 ms. */
  requestTimeoutMs: number;
  /** Run the chaos schedule (src/fleet-demo/chaos-schedule.ts) instead of the two modes. */
  chaos: boolean;
  json: boolean;
  help: boolean;
}

export const MAX_WORKERS = 64;

export const FLEET_USAGE = `Usage: npm run fleet -- [options]

Starts the mock server and N worker processes, each calling it every interval through its circuit
breaker, runs the schedule "up, down, up", and reports per worker and in total the calls that reached
the server while it was down, the trial calls, and the time from "server back" to "all workers
closed". --mode shared keeps one circuit in Redis for all workers (REDIS_URL, default
redis://127.0.0.1:6379); --mode local gives each worker its own in-process breaker (cockatiel).

Options:
  --workers <n>          worker processes, 1 to ${MAX_WORKERS} (default 4)
  --mode shared|local    run one mode only (default: both, side by side; shared is skipped
                         with a warning when Redis is unreachable)
  --failures <n>         consecutive failures that open a circuit (default 3)
  --reset-timeout <s>    seconds a circuit stays open before one trial call (default 2)
  --down <s>             seconds the server is down (default 10)
  --up <s>               seconds the server is up before the outage (default 2)
  --interval <ms>        milliseconds between a worker's calls (default 100)
  --request-timeout <ms> a call with no answer after this long fails (default 1000)
  --chaos                shared mode only, under faults: a fault proxy between each worker and
                         Redis adds latency, blackholes, cuts workers off and resets
                         connections, and the circuit's key is deleted, while the server dies
                         and recovers twice (about 30 s); prints the invariants and exits 1
                         if one failed (REDIS_URL must be on this machine; not with --mode,
                         --down, --up)
  --json                 print the figures as one JSON document on stdout
  --help                 show this help

Environment:
  REDIS_URL              Redis for --mode shared (default redis://127.0.0.1:6379)`;

const VALID =
  '--workers <n>, --mode shared|local, --failures <n>, --reset-timeout <s>, --down <s>, --up <s>, --interval <ms>, --request-timeout <ms>, --chaos, --json, --help';

/** Reads `npm run fleet` options; bad input throws UsageError naming the option and its valid form. */
export function parseFleetOptions(argv: readonly string[]): FleetCliOptions {
  const { values } = parseCommandLine(
    argv,
    {
      workers: { type: 'string' },
      mode: { type: 'string' },
      failures: { type: 'string' },
      'reset-timeout': { type: 'string' },
      down: { type: 'string' },
      up: { type: 'string' },
      interval: { type: 'string' },
      'request-timeout': { type: 'string' },
      chaos: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    VALID,
  );
  const chaos = values.chaos ?? false;
  for (const option of ['mode', 'down', 'up'] as const) {
    if (chaos && values[option] !== undefined) {
      throw new UsageError(`--chaos runs its own schedule in shared mode: drop --${option}`);
    }
  }
  const workers = values.workers === undefined ? 4 : parseWhole('--workers', values.workers);
  if (workers > MAX_WORKERS) {
    throw new UsageError(
      `--workers must be a whole number from 1 to ${MAX_WORKERS}, got "${values.workers}"`,
    );
  }
  const seconds = (option: string, raw: string | undefined, fallback: number) =>
    raw === undefined ? fallback : parsePositive(option, raw) * 1000;
  const ms = (option: string, raw: string | undefined, fallback: number) =>
    raw === undefined ? fallback : parsePositive(option, raw);
  return {
    workers,
    mode: parseMode(values.mode),
    failures: values.failures === undefined ? 3 : parseWhole('--failures', values.failures),
    resetTimeoutMs: seconds('--reset-timeout', values['reset-timeout'], 2000),
    downMs: seconds('--down', values.down, 10_000),
    upMs: seconds('--up', values.up, 2000),
    intervalMs: ms('--interval', values.interval, 100),
    requestTimeoutMs: ms('--request-timeout', values['request-timeout'], 1000),
    chaos,
    json: values.json ?? false,
    help: values.help ?? false,
  };
}

function parseMode(raw: string | undefined): FleetMode | 'both' {
  if (raw === undefined) return 'both';
  const mode = FLEET_MODES.find((candidate) => candidate === raw);
  if (mode === undefined) throw new UsageError(`--mode must be shared or local, got "${raw}"`);
  return mode;
}
