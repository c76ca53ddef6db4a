import type { BreakerSettings, HalfOpenSampling } from './breaker.ts';

/** The half-open sampling the settings ask for, the default (one call, no failure) filled in. */
export function halfOpenOf(settings: Pick<BreakerSettings, 'halfOpen'>): HalfOpenSampling {
  return settings.halfOpen ?? { calls: 1, failureShare: 0 };
}

/**
 * How many trials may fail and keep the circuit half-open: cockatiel re-opens on the failure that
 * makes `failures > calls x threshold`, so this many, computed the same way (floats included).
 */
export function allowedFailures(sampling: HalfOpenSampling): number {
  return Math.min(sampling.calls, Math.floor(sampling.calls * sampling.failureShare));
}

/** `4 half-open trials, 1 may fail (share 0.25)`, or `1 half-open trial` for the default. */
export function describeHalfOpen(sampling: HalfOpenSampling): string {
  const trials = `${sampling.calls} half-open ${sampling.calls === 1 ? 'trial' : 'trials'}`;
  if (sampling.failureShare === 0) return `${trials}, none may fail`;
  return `${trials}, ${allowedFailures(sampling)} may fail (share ${sampling.failureShare})`;
}

/** What a failure share must be, for the messages that refuse one. */
export const FAILURE_SHARE_FORM =
  'a number from 0 to below 1 (0.25: a quarter of the trials may fail)';

/** A share cockatiel accepts as `halfOpenSampling.threshold`: finite, >= 0 and < 1. */
export function isFailureShare(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 1;
}
