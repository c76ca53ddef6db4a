import { hostname } from 'node:os';
import type { Cluster, Redis } from 'ioredis';
import { SharedCircuitOptionsError } from './errors/options-error.ts';
import { redisUrlFromEnv } from './redis-url.ts';
import { MemoryStore } from './store/memory-store.ts';
import { parseRedisTarget } from './redis-target.ts';

export interface SharedCircuitOptions {
  /** The circuit's name, part of its Redis keys: processes that share a name share the circuit. Required. */
  name: string;
  /** Consecutive failures, counted across the fleet, that open the circuit. Required. */
  failures: number;
  /** How long the circuit stays open before a trial call may start, in milliseconds. Required. */
  resetTimeoutMs: number;
  /**
   * Which errors count as failures. Default: every error. An error it returns false for passes
   * through to the caller without counting (and ends a trial call well: the dependency answered).
   */
  isFailure?: (error: unknown) => boolean;
  /** Prefix of every key, one per fleet or per test. Default `circuit`. */
  namespace?: string;
  /**
   * One Redis server `redis[s]://[user:password@]host[:port][/db]`, a cluster
   * `redis-cluster://[user:password@]host:port[,host:port...]`, or a master found through Sentinel
   * `redis-sentinel://[user:password@]host:port[,host:port...]/<master>[?db=N]`.
   * Default: the REDIS_URL environment variable, else `redis://127.0.0.1:6379`. Ignored when
   * `redis` is given.
   */
  redisUrl?: string;
  /**
   * Your own ioredis client (`Redis` or `Cluster`) instead of a URL: its TLS, Sentinel and password
   * settings are yours. The circuit runs its commands on it, subscribes on a `duplicate()` of it,
   * bounds each command by `redisTimeoutMs` itself, and never closes it. Default: none (a
   * connection pair of the circuit's own, from `redisUrl`).
   */
  redis?: Redis | Cluster;
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
   * A call still running after this many milliseconds counts as a failure at that moment, once
   * (its later end changes nothing); the call itself runs on (your own timeout or signal ends
   * it). A dependency that hangs then opens the circuit within this, not after the timeout.
   * Default: none (a call counts when it ends).
   */
  slowCallMs?: number;
  /**
   * Distinct processes whose failures must be in the count (or the failure-rate window) for the
   * fleet's circuit to open, so one bad process cannot trip the fleet. From 2 on, each process
   * also keeps a circuit of its own with the same rules: a process whose calls fail while the
   * fleet's succeed opens it, rejects its own calls (level `process`), sends its own trial after
   * the reset timeout and rejoins when it succeeds. Default 1: the fleet opens on any failures.
   */
  minProcesses?: number;
  /**
   * This process's name in the counts of `minProcesses` and the failure rate. Default
   * `<hostname>:<pid>`, which tells processes on one host apart.
   */
  processId?: string;
  /**
   * Open also when, over the last `samplingDurationMs`, at least `minimumThroughput` calls were
   * made across the fleet and this share of them (0 to 1) failed: Polly v8's rule, counted by the
   * whole fleet. `failures` stays the consecutive rule; either opens the circuit. Calls are counted
   * in memory and sent every `samplingDurationMs / 8` (at most 250 ms), off the call path, so the
   * circuit opens at most that much (plus a round trip) later than an exact count would. Default:
   * none (consecutive failures only).
   */
  failureRatio?: number;
  /**
   * Longer open periods while the dependency stays down: after the n-th failed trial in a row the
   * circuit stays open `min(maxMs, resetTimeoutMs * factor^n)`, each period moved by up to
   * `jitter` of itself either way, so a fleet's trials spread out. The count lives in Redis (one
   * schedule for the whole fleet) and starts over when the circuit closes. `factor` default 2,
   * `jitter` default 0 (0 to 1). Default: none (every open period is the reset timeout).
   */
  backoff?: { factor?: number; maxMs: number; jitter?: number };
  /** With `failureRatio`: the fewest calls in the window that can open the circuit. Default 100. */
  minimumThroughput?: number;
  /** With `failureRatio`: the window the rate is taken over, in milliseconds. Default 30000. */
  samplingDurationMs?: number;
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
  /** Clock for the in-memory state, in milliseconds. Default `performance.now()`. */
  now?: () => number;
  /**
   * Keep the state in a MemoryStore instead of Redis: circuits given the same store share it as a
   * fleet does, decided by the same rules, on the store's clock; for tests of your code without
   * Redis (`redisUrl` and `redis` are then ignored). Default: none (Redis).
   */
  store?: MemoryStore;
}

/** SharedCircuitOptions with every default filled in. */
/** The failure-rate rule, when `failureRatio` is given. */
export interface RateRule {
  failureRatio: number;
  minimumThroughput: number;
  samplingDurationMs: number;
  /** How often a process sends its counts. */
  flushMs: number;
}

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
  slowCallMs: number | undefined;
  minProcesses: number;
  processId: string;
  rate: RateRule | undefined;
  backoff: { factor: number; maxMs: number; jitter: number } | undefined;
  redis: Redis | Cluster | undefined;
  store: MemoryStore | undefined;
  isFailure: (error: unknown) => boolean;
  log: (line: string) => void;
  now: () => number;
}

/** The longest name, namespace or key: part of Redis keys and channels, and no host name is longer. */
export const MAX_NAME_LENGTH = 255;

/** Node's timers hold at most this many milliseconds; a longer delay fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Checks every option before anything connects; a bad one throws SharedCircuitOptionsError showing it. */
export function resolveOptions(options: SharedCircuitOptions): ResolvedOptions {
  const name = checkName('name', options.name, true);
  const namespace = checkName('namespace', options.namespace ?? 'circuit');
  const failures = wholeNumber('failures', options.failures);
  const resetTimeoutMs = milliseconds('resetTimeoutMs', options.resetTimeoutMs);
  const redisUrl = options.redisUrl ?? redisUrlFromEnv();
  const store = options.store;
  if (store !== undefined && !(store instanceof MemoryStore)) {
    throw new SharedCircuitOptionsError(`store must be a MemoryStore, got ${show(store)}`);
  }
  // A bad URL is a RedisUrlError, unless no URL is used.
  if (options.redis === undefined && store === undefined) parseRedisTarget(redisUrl);
  return {
    name,
    namespace,
    redisUrl,
    failures,
    resetTimeoutMs,
    trialLeaseMs: milliseconds('trialLeaseMs', options.trialLeaseMs ?? resetTimeoutMs),
    halfOpenTrials: wholeNumber('halfOpenTrials', options.halfOpenTrials ?? 1),
    successThreshold: wholeNumber('successThreshold', options.successThreshold ?? 1),
    redisTimeoutMs: milliseconds('redisTimeoutMs', options.redisTimeoutMs ?? 500),
    connectTimeoutMs: milliseconds('connectTimeoutMs', options.connectTimeoutMs ?? 2000),
    slowCallMs:
      options.slowCallMs === undefined ? undefined : milliseconds('slowCallMs', options.slowCallMs),
    minProcesses: wholeNumber('minProcesses', options.minProcesses ?? 1),
    processId: checkProcessId(options.processId ?? `${hostname()}:${process.pid}`),
    rate: rateRule(options),
    backoff: backoffRule(options, resetTimeoutMs),
    redis: options.redis,
    store,
    isFailure: fn('isFailure', options.isFailure ?? (() => true)),
    log: fn('log', options.log ?? ((line) => console.error(line))),
    now: fn('now', options.now ?? (() => performance.now())),
  };
}

/**
 * A circuit name, namespace or key: part of Redis keys, so a restricted set of characters, and at
 * most MAX_NAME_LENGTH of them. `brackets`: a name or key may hold an IPv6 host (`[::1]:8080`);
 * a namespace may not, as it is part of a SCAN pattern (control.ts), where brackets match sets.
 */
export function checkName(option: string, value: string, brackets = false): string {
  const allowed = brackets ? /^[\w.:[\]-]+$/ : /^[\w.:-]+$/;
  if (typeof value !== 'string' || !allowed.test(value)) {
    const chars = brackets ? '"_", "-", ".", ":", "[" or "]"' : '"_", "-", "." or ":"';
    throw new SharedCircuitOptionsError(
      `${option} must be letters, digits, ${chars}, got ${show(value)}`,
    );
  }
  if (value.length > MAX_NAME_LENGTH) {
    throw new SharedCircuitOptionsError(
      `${option} must be at most ${MAX_NAME_LENGTH} characters, got one of ${value.length}: "${value.slice(0, 40)}..."`,
    );
  }
  return value;
}

function checkProcessId(value: string): string {
  if (typeof value !== 'string' || !/^[^,\s]{1,255}$/.test(value)) {
    throw new SharedCircuitOptionsError(
      `processId must be 1 to 255 characters with no comma or space, got ${show(value)}`,
    );
  }
  return value;
}

function backoffRule(options: SharedCircuitOptions, resetTimeoutMs: number) {
  const backoff = options.backoff;
  if (backoff === undefined) return undefined;
  if (typeof backoff !== 'object' || backoff === null) {
    throw new SharedCircuitOptionsError(
      `backoff must be an object { factor?, maxMs, jitter? }, got ${show(backoff)}`,
    );
  }
  const maxMs = milliseconds('backoff.maxMs', backoff.maxMs);
  if (maxMs < resetTimeoutMs) {
    throw new SharedCircuitOptionsError(
      `backoff.maxMs must be at least resetTimeoutMs (${resetTimeoutMs}), got ${maxMs}`,
    );
  }
  const factor = backoff.factor ?? 2;
  if (typeof factor !== 'number' || !(factor >= 1 && factor <= 100)) {
    throw new SharedCircuitOptionsError(
      `backoff.factor must be a number from 1 to 100, got ${show(factor)}`,
    );
  }
  const jitter = backoff.jitter ?? 0;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
    throw new SharedCircuitOptionsError(
      `backoff.jitter must be a number from 0 to 1, got ${show(jitter)}`,
    );
  }
  return { factor, maxMs, jitter };
}

function rateRule(options: SharedCircuitOptions): RateRule | undefined {
  const { failureRatio, minimumThroughput, samplingDurationMs } = options;
  if (failureRatio === undefined) {
    const stray =
      minimumThroughput !== undefined
        ? 'minimumThroughput'
        : samplingDurationMs !== undefined
          ? 'samplingDurationMs'
          : undefined;
    if (stray !== undefined) {
      throw new SharedCircuitOptionsError(`${stray} goes with failureRatio, which is not given`);
    }
    return undefined;
  }
  if (typeof failureRatio !== 'number' || !(failureRatio > 0 && failureRatio <= 1)) {
    throw new SharedCircuitOptionsError(
      `failureRatio must be a number above 0 and at most 1, got ${show(failureRatio)}`,
    );
  }
  const sampling = milliseconds('samplingDurationMs', samplingDurationMs ?? 30_000);
  return {
    failureRatio,
    minimumThroughput: wholeNumber('minimumThroughput', minimumThroughput ?? 100),
    samplingDurationMs: sampling,
    flushMs: Math.max(10, Math.min(250, sampling / 8)),
  };
}

function wholeNumber(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new SharedCircuitOptionsError(
      `${option} must be a whole number >= 1, got ${show(value)}`,
    );
  }
  return value;
}

/** A delay a Node timer can keep: a longer one would fire at once and break the circuit. */
export function milliseconds(option: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw new SharedCircuitOptionsError(
      `${option} must be a number of milliseconds > 0 and <= ${MAX_TIMER_MS}, got ${show(value)}`,
    );
  }
  return value;
}

function fn<F>(option: string, value: F): F {
  if (typeof value !== 'function') {
    throw new SharedCircuitOptionsError(`${option} must be a function, got ${show(value)}`);
  }
  return value;
}

/** A value as the caller wrote it: a string in quotes, so `"3"` is not mistaken for 3. */
function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}
