import type { BreakerLibrary } from '../breakers/breaker.ts';
import { OPOSSUM_TUNING, opossumTuned } from '../breakers/opossum.ts';
import { LIBRARIES } from '../libraries/registry.ts';

/**
 * opossum as the dashboard runs it: the adapter's tuning (50%, volumeThreshold N) with the window
 * the settings give (`rollingWindowMs`: --window, the page's "opossum window" box; default 10 s,
 * opossum's own). The adapter's own window is two reset timeouts and ignores `rollingWindowMs`
 * (src/breakers/opossum.ts), so the box and --window changed nothing.
 */
export const opossumWithWindow: BreakerLibrary = opossumTuned('opossum', {
  errorThresholdPercentage: OPOSSUM_TUNING.errorThresholdPercentage,
});

/** The in-process libraries the dashboard calls, in display order. */
export const DASHBOARD_LIBRARIES: readonly BreakerLibrary[] = [
  opossumWithWindow,
  LIBRARIES.cockatiel,
  LIBRARIES.mollitia,
];
