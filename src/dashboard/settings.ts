/** What the dashboard's callers use; the page and the command line change it. Times in milliseconds. */
export interface DashboardSettings {
  /** Consecutive failures that open a circuit. Default 3, the seed's. */
  failures: number;
  /** How long a circuit stays open before one trial call. Default 6000 ms, the seed's. */
  resetTimeoutMs: number;
  /** Pause between one library's calls. Default 500 ms, so the page moves. */
  delayMs: number;
  /** A call with no answer after this long fails. Default 2000 ms, the seed's. */
  requestTimeoutMs: number;
  /**
   * opossum's rolling window (`rollingCountTimeout`; the dashboard's opossum takes it, see
   * dashboard-libraries.ts). Default 10 000 ms, opossum's own.
   */
  rollingWindowMs: number;
}

export const DEFAULT_SETTINGS: DashboardSettings = {
  failures: 3,
  resetTimeoutMs: 6000,
  delayMs: 500,
  requestTimeoutMs: 2000,
  rollingWindowMs: 10_000,
};

/** Longest a time setting may be: an hour, so a typo cannot stop the callers for days. */
export const MAX_MS = 3_600_000;

/** Shortest delay: a caller that never waits would flood the page with rejections. */
export const MIN_DELAY_MS = 10;

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  constructor(
    /** The setting's name, as in DashboardSettings. */
    readonly setting: string,
    message: string,
  ) {
    super(message);
  }
}

export function isSettingsError(error: unknown): error is SettingsError {
  return error instanceof SettingsError;
}

/**
 * `base` with the given changes, each checked: failures a whole number >= 1, times a number of
 * milliseconds > 0 (the delay at least MIN_DELAY_MS) up to an hour. Unknown fields are an error too.
 */
export function changeSettings(
  base: DashboardSettings,
  changes: Record<string, unknown>,
): DashboardSettings {
  const next = { ...base };
  for (const [field, value] of Object.entries(changes)) {
    switch (field) {
      case 'failures':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1000) {
          throw new SettingsError(
            field,
            `failures must be a whole number from 1 to 1000, got ${show(value)}`,
          );
        }
        next.failures = value;
        break;
      case 'delayMs':
        next.delayMs = milliseconds(field, value, MIN_DELAY_MS);
        break;
      case 'resetTimeoutMs':
      case 'requestTimeoutMs':
      case 'rollingWindowMs':
        next[field] = milliseconds(field, value, Number.MIN_VALUE);
        break;
      default:
        throw new SettingsError(
          field,
          `unknown setting "${field}"; valid: failures, resetTimeoutMs, delayMs, requestTimeoutMs, rollingWindowMs`,
        );
    }
  }
  return next;
}

function milliseconds(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_MS) {
    const range = min === Number.MIN_VALUE ? `> 0 and <= ${MAX_MS}` : `from ${min} to ${MAX_MS}`;
    throw new SettingsError(
      field,
      `${field} must be a number of milliseconds ${range}, got ${show(value)}`,
    );
  }
  return value;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}
