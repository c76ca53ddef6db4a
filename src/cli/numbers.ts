import { FAILURE_SHARE_FORM, isFailureShare } from '../breakers/half-open.ts';
import { UsageError } from './usage-error.ts';

/** A finite number > 0, e.g. `--speed 10` or `--delay 0.5`. */
export function parsePositive(option: string, raw: string): number {
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${option} must be a number > 0, got "${raw}"`);
  }
  return value;
}

/** A whole number >= 1, e.g. `--failures 3`. */
export function parseWhole(option: string, raw: string): number {
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new UsageError(`${option} must be a whole number >= 1, got "${raw}"`);
  }
  return value;
}

/** A port number: a whole number from 0 to 65535. */
export function parsePort(raw: string, option = '--port'): number {
  const port = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`${option} must be a whole number from 0 to 65535, got "${raw}"`);
  }
  return port;
}

/** A number > 0 and at most `max`, e.g. `--down 10` (seconds, at most an hour). */
export function parsePositiveUpTo(option: string, raw: string, max: number, unit: string): number {
  const value = parsePositive(option, raw);
  if (value > max) {
    throw new UsageError(`${option} must be a number > 0 and at most ${max} ${unit}, got "${raw}"`);
  }
  return value;
}

/** A whole number from 1 to `max`, e.g. `--failures 3`. */
export function parseWholeUpTo(option: string, raw: string, max: number): number {
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new UsageError(`${option} must be a whole number from 1 to ${max}, got "${raw}"`);
  }
  return value;
}

/** A share of half-open trials that may fail, from 0 to below 1, e.g. `--half-open-failure-share 0.25`. */
export function parseShare(option: string, raw: string): number {
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!isFailureShare(value)) {
    throw new UsageError(`${option} must be ${FAILURE_SHARE_FORM}, got "${raw}"`);
  }
  return value;
}
