/** The contract every library adapter implements: the seam between the lab and a breaker library. */

export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * What every library is asked to do, in the seed's terms. Each adapter maps these onto its
 * library's own options as closely as the library allows; where it cannot, the lab records
 * what the library really did (see docs/behaviour-matrix.md).
 */
export interface BreakerSettings {
  /** Open after this many consecutive failures. */
  failures: number;
  /** Stay open this long (milliseconds, real time) before letting one trial call through. */
  resetTimeoutMs: number;
  /**
   * Which errors count as failures. Default: every error. Errors it returns false for pass
   * through to the caller without counting against the circuit.
   */
  isFailure?: (error: unknown) => boolean;
  /**
   * Length of a time-based rolling window, for an opossum setting that does not derive its window
   * from the reset timeout (the adapter's own does; see src/breakers/opossum.ts). Default 10 000 ms,
   * opossum's own default; the lab scales it with `--speed`.
   */
  rollingWindowMs?: number;
  /**
   * A call still running after this long counts as a failure at that moment, for a library that
   * can (the shared circuit); the others count it when it ends. Default: none.
   */
  slowCallMs?: number;
  /**
   * How the half-open state decides: let `calls` trial calls through, and re-open as soon as more
   * than `failureShare` of them failed; close once all came back with no more failures than that.
   * Default: one trial call, no failure allowed (`{ calls: 1, failureShare: 0 }`). cockatiel 4's
   * `halfOpenSampling`; opossum lets one trial through whatever this says (see departure.ts).
   */
  halfOpen?: HalfOpenSampling;
  /**
   * Open also when, over the last `windowMs`, at least `minimumThroughput` calls were made and
   * `ratio` of them failed, for a library that counts a rate (opossum: above the ratio; the shared
   * circuit: at or above it). The others keep to `failures`. Default: none.
   */
  failureRate?: { ratio: number; minimumThroughput: number; windowMs: number };
  /** The shared circuit's `minProcesses`; the in-process libraries have no fleet. Default 1. */
  minProcesses?: number;
  /**
   * Set when each caller of a run is a process of its own: the breakers a library creates with the
   * same `run` are one circuit where the library can share it (the shared circuit: one name, a
   * process id per `caller`); the in-process libraries give each caller a breaker of its own.
   */
  process?: { run: string; caller: number };
}

/** The trial calls of a half-open circuit and the share of them that may fail. */
export interface HalfOpenSampling {
  /** Trial calls let through while half-open, a whole number >= 1. */
  calls: number;
  /**
   * The share of those trials that may fail, from 0 to below 1: up to `floor(calls x failureShare)`
   * failures keep the circuit half-open, one more re-opens it.
   */
  failureShare: number;
}

export interface Breaker {
  /**
   * Runs `action` through the circuit. Rejects with `CircuitOpenError` when the library refused to
   * run it; otherwise settles as the action did.
   */
  execute<T>(action: () => Promise<T>): Promise<T>;
  /** The library's own state, read now. */
  readonly state: CircuitState;
  /** Calls `listener` on every transition the library reports. */
  onStateChange(listener: (state: CircuitState) => void): void;
  /** Clears the library's timers and connections so the process can exit. */
  dispose(): void | Promise<void>;
}

/** A breaker library: its name, installed version and a factory. */
export interface BreakerLibrary {
  /** `opossum`, `cockatiel`, `mollitia`, or another implementation such as the Redis-shared `fleet`. */
  readonly name: string;
  readonly version: string;
  create(settings: BreakerSettings): Breaker;
  /**
   * The library's own rule for opening, in a few words, where it is not the scenario's "open
   * after N consecutive failures" (opossum: a failure rate over a time window); absent where it
   * is. Durations in the text are the settings' milliseconds shown as seconds.
   */
  rule?(settings: BreakerSettings): string | undefined;
}

/** The library refused the call because its circuit was open (or its half-open slots were taken). */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  constructor(
    readonly library: string,
    options?: { cause?: unknown },
  ) {
    super(`${library}: circuit is open, call rejected`, options);
  }
}

/**
 * The rejection an adapter throws: a CircuitOpenError without a stack of its own. The library's
 * error, kept as `cause`, already carries one; capturing a second stack made a rejection through
 * the adapter cost 60-80% more than the library's own (bench/overhead.ts).
 */
export function circuitOpen(library: string, cause: unknown): CircuitOpenError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new CircuitOpenError(library, { cause });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export function isCircuitOpenError(error: unknown): error is CircuitOpenError {
  return error instanceof CircuitOpenError;
}
