import { parsePort, parsePositiveUpTo, parseWhole, parseWholeUpTo } from './numbers.ts';
import { commandLine } from './command-line.ts';
import { UsageError } from './usage-error.ts';
import { FLEET_MODES, type FleetMode } from '../fleet-demo/worker-protocol.ts';

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
  /** The shared circuit's namespace in Redis. Default: a fresh one per run. */
  namespace: string | undefined;
  /** Serve the shared circuits' Prometheus metrics on this port (0: a free one). Default: not served. */
  metricsPort: number | undefined;
  /** Run the chaos schedule (src/fleet-demo/chaos-schedule.ts) instead of the two modes. */
  chaos: boolean;
  json: boolean;
  help: boolean;
}

export const MAX_WORKERS = 64;
/** The demo's schedule is minutes long at most: an hour for any one of its durations. */
export const MAX_SECONDS = 3600;
/** A worker's interval and request timeout: a minute at most. */
export const MAX_MS = 60_000;
export const MAX_FAILURES = 1000;

export const FLEET_COMMAND = commandLine({
  usage: 'npm run fleet -- [options]',
  about: `Starts the mock server and N worker processes, each calling it every interval through its circuit
breaker, runs the schedule "up, down, up", and reports per worker and in total the calls that reached
the server while it was down, the trial calls, and the time from "server back" to "all workers
closed". --mode shared keeps one circuit in Redis for all workers (REDIS_URL, default
redis://127.0.0.1:6379); --mode local gives each worker its own in-process breaker (cockatiel).`,
  options: {
    workers: { value: '<n>', help: `worker processes, 1 to ${MAX_WORKERS} (default 4)` },
    mode: {
      value: 'shared|local',
      help: `run one mode only (default: both, side by side; shared is skipped
with a warning when Redis is unreachable)`,
    },
    failures: {
      value: '<n>',
      help: `consecutive failures that open a circuit, 1 to ${MAX_FAILURES} (default 3)`,
    },
    'reset-timeout': {
      value: '<s>',
      help: `seconds a circuit stays open before one trial call, up to ${MAX_SECONDS} (default 2)`,
    },
    down: { value: '<s>', help: `seconds the server is down, up to ${MAX_SECONDS} (default 10)` },
    up: {
      value: '<s>',
      help: `seconds the server is up before the outage, up to ${MAX_SECONDS} (default 2)`,
    },
    interval: {
      value: '<ms>',
      help: `milliseconds between a worker's calls, up to ${MAX_MS} (default 100)`,
    },
    'request-timeout': {
      value: '<ms>',
      help: `a call with no answer after this many ms fails, up to ${MAX_MS} (default 1000)`,
    },
    namespace: {
      value: '<ns>',
      help: `the shared circuit's namespace, so npm run circuit can steer it
(its name is mock-server; default: a fresh one per run)`,
    },
    'metrics-port': {
      value: '<n>',
      help: `serve the workers' shared-circuit metrics at http://127.0.0.1:<n>/metrics
while the run lasts, 0 for a free port (default: not served)`,
    },
    chaos: {
      help: `shared mode only, under faults: a fault proxy between each worker and
Redis adds latency, blackholes, cuts workers off and resets
connections, and the circuit's key is deleted, while the server dies
and recovers twice (about 30 s); prints the invariants and exits 1
if one failed (REDIS_URL must be on this machine; not with --mode,
--down, --up)`,
    },
    json: { help: 'print the figures as one JSON document on stdout' },
    help: { help: 'show this help' },
  },
  footer: `Environment:
  REDIS_URL              Redis for --mode shared (default redis://127.0.0.1:6379)`,
});

/** The whole `--help` text. */
export const FLEET_USAGE = FLEET_COMMAND.help;

/** Reads `npm run fleet` options; bad input throws UsageError naming the option and its valid form. */
export function parseFleetOptions(argv: readonly string[]): FleetCliOptions {
  const values = FLEET_COMMAND.parse(argv);
  const chaos = values.chaos ?? false;
  for (const option of ['mode', 'down', 'up', 'namespace'] as const) {
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
    raw === undefined ? fallback : parsePositiveUpTo(option, raw, MAX_SECONDS, 's') * 1000;
  const ms = (option: string, raw: string | undefined, fallback: number) =>
    raw === undefined ? fallback : parsePositiveUpTo(option, raw, MAX_MS, 'ms');
  return {
    workers,
    mode: parseMode(values.mode),
    failures:
      values.failures === undefined
        ? 3
        : parseWholeUpTo('--failures', values.failures, MAX_FAILURES),
    resetTimeoutMs: seconds('--reset-timeout', values['reset-timeout'], 2000),
    downMs: seconds('--down', values.down, 10_000),
    upMs: seconds('--up', values.up, 2000),
    intervalMs: ms('--interval', values.interval, 100),
    requestTimeoutMs: ms('--request-timeout', values['request-timeout'], 1000),
    namespace: values.namespace === undefined ? undefined : parseNamespace(values.namespace),
    metricsPort:
      values['metrics-port'] === undefined
        ? undefined
        : parsePort(values['metrics-port'], '--metrics-port'),
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

/** The rule the shared circuit applies to a namespace (part of Redis keys), checked before any worker starts. */
function parseNamespace(value: string): string {
  if (!/^[\w.:-]+$/.test(value)) {
    throw new UsageError(
      `--namespace: namespace must be letters, digits, "_", "-", "." or ":", got "${value}"`,
    );
  }
  return value;
}
