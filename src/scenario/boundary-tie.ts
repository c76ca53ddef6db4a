import type { BoundaryTie } from './consecutive-model.ts';
import type { CallRecord, Trace } from './trace.ts';

/**
 * Real milliseconds around the end of a reset timeout where a run's call and a library's timer can
 * land either way round (a timer may fire a millisecond early, `Date.now()` counts whole ones, a
 * loaded machine delays either).
 */
export const BOUNDARY_TIE_MS = 20;

/** The tie window of a run, in its scenario seconds, following what the run's library did. */
export function boundaryTie(trace: Trace, calls: readonly CallRecord[]): BoundaryTie {
  return {
    seconds: (BOUNDARY_TIE_MS * trace.scenario.speed) / 1000,
    letThrough: (call) => calls[call - 1]?.outcome !== 'rejected',
  };
}
