import type { BreakerLibrary, BreakerSettings } from '../breakers/breaker.ts';
import { cockatiel } from '../breakers/cockatiel.ts';
import { InputError } from '../input-error.ts';
import { redisUrlFromEnv } from './redis-url.ts';
import { parseRedisTarget } from './redis-target.ts';

export interface SharedCircuitOptions extends BreakerSettings {
  /** The circuit's name, part of its Redis keys: processes that share a name share the circuit. Required. */
  name: string;
  /** Prefix of every key, one per fleet or per test. Default `circuit`. */
  namespace?: string;
  /**
   * One Redis server `redis[s]://[user:password@]host[:port][/db]`, a cluster
   * `redis-cluster://[user:password@]host:port[,host:port...]`, or a master found through Sentinel
   * `redis-sentinel://[user:password@]host:port[,host:port...]/<master>[?db=N]`.
   * Default: the REDIS_URL environment variable, else `redis://127.0.0.1:6379`.
   */
  redisUrl?: string;
  /**
   * The trial's lease: its process renews it every third of it while the trial runs, so a slow trial
   * stays the only one; a process that stops renewing (dead, cut off) frees the trial after it.
   * Default: the reset timeout.
   */
  trialLeaseMs?: number;
  /**
   * Trial calls allowed at once in the whole fleet while half-open (Resilience4j's
   * permittedNumberOfCallsInHalfOpenState). Default 1.
   */
  halfOpenTrials?: number;
  /**
   * Trial successes needed to close the circuit; any failed trial opens it again for a full reset
   * timeout. Default 1.
   */
  successThreshold?: number;
  /**
   * A Redis command slower than this, or a dropped connection not back within it, counts as Redis
   * unreachable; a connection back sooner is no outage at all (no log line, no local breaker).
   * Default 500 ms.
   */
  redisTimeoutMs?: number;
  /**
   * How long the first connection may take before the circuit starts on its local breaker (calls
   * made meanwhile wait for it). A refused connection does not wait. Default 2000 ms.
   */
  connectTimeoutMs?: number;
  /** Where the one line about Redis going away (and coming back) goes. Default `console.error`. */
  log?: (line: string) => void;
  /** Clock for the in-memory state. Default `performance.now()`. */
  now?: () => number;
  /** The in-process breaker used while Redis is unreachable. Default the cockatiel adapter. */
  localLibrary?: BreakerLibrary;
}

/** SharedCircuitOptions with every default filled in. */
export interface ResolvedOptions {
  name: string;
  namespace: string;
  redisUrl: string;
  failures: number;
  resetTimeoutMs: number;
  trialLeaseMs: number;
  halfOpenTrials: number;
  successThreshold: number;
  redisTimeoutMs: number;
  connectTimeoutMs: number;
  isFailure: (error: unknown) => boolean;
  settings: BreakerSettings;
  log: (line: string) => void;
  now: () => number;
  localLibrary: BreakerLibrary;
}

export class FleetOptionsError extends InputError {
  override readonly name = 'FleetOptionsError';
}

export function isFleetOptionsError(error: unknown): error is FleetOptionsError {
  return error instanceof FleetOptionsError;
}

/** Checks every option before anything connects; a bad one throws FleetOptionsError showing it. */
export function resolveOptions(options: SharedCircuitOptions): ResolvedOptions {
  const name = checkName('name', options.name);
  const namespace = checkName('namespace', options.namespace ?? 'circuit');
  const failures = options.failures;
  if (!Number.isInteger(failures) || failures < 1) {
    throw new FleetOptionsError(`failures must be a whole number >= 1, got ${String(failures)}`);
  }
  const resetTimeoutMs = positive('resetTimeoutMs', options.resetTimeoutMs);
  const redisUrl = options.redisUrl ?? redisUrlFromEnv();
  parseRedisTarget(redisUrl); // a bad URL is a RedisUrlError, an InputError like ours
  const settings: BreakerSettings = {
    failures,
    resetTimeoutMs,
    ...(options.isFailure ? { isFailure: options.isFailure } : {}),
  };
  return {
    name,
    namespace,
    redisUrl,
    failures,
    resetTimeoutMs,
    trialLeaseMs: positive('trialLeaseMs', options.trialLeaseMs ?? resetTimeoutMs),
    halfOpenTrials: wholeNumber('halfOpenTrials', options.halfOpenTrials ?? 1),
    successThreshold: wholeNumber('successThreshold', options.successThreshold ?? 1),
    redisTimeoutMs: positive('redisTimeoutMs', options.redisTimeoutMs ?? 500),
    connectTimeoutMs: positive('connectTimeoutMs', options.connectTimeoutMs ?? 2000),
    isFailure: options.isFailure ?? (() => true),
    settings,
    log: options.log ?? ((line) => console.error(line)),
    now: options.now ?? (() => performance.now()),
    localLibrary: options.localLibrary ?? cockatiel,
  };
}

/** A circuit name, namespace or key: part of Redis keys, so a restricted set of characters. */
export function checkName(option: string, value: string): string {
  if (typeof value !== 'string' || !/^[\w.:-]+$/.test(value)) {
    throw new FleetOptionsError(
      `${option} must be letters, digits, "_", "-", "." or ":", got "${String(value)}"`,
    );
  }
  return value;
}

function wholeNumber(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new FleetOptionsError(`${option} must be a whole number >= 1, got ${String(value)}`);
  }
  return value;
}

function positive(option: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new FleetOptionsError(`${option} must be a number of milliseconds > 0, got ${value}`);
  }
  return value;
}
