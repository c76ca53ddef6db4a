import type { CircuitState } from '../../breakers/breaker.ts';

/**
 * The seed's line, printed after every call:
 * `get_greeting circuit state: open. Time till open: 4.998572`.
 * Seconds print like Python prints a float from timedelta: up to 6 decimals, no trailing zeros.
 */
export function formatSeedLine(
  state: CircuitState,
  timeTillOpenSeconds: number,
  name = 'get_greeting',
): string {
  return `${name} circuit state: ${state}. Time till open: ${pythonSeconds(timeTillOpenSeconds)}`;
}

/** Seconds as Python prints a float: up to 6 decimals, no trailing zeros, never `-0`. */
export function pythonSeconds(seconds: number): string {
  const rounded = Number(seconds.toFixed(6));
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

export const SERVER_OFF_LINE = 'Server is turned OFF...';
export const SERVER_ON_LINE = 'Server is turning ON...';
