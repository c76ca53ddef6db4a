import type { BreakerSettings } from './breaker.ts';
import { allowedFailures, halfOpenOf } from './half-open.ts';

/**
 * Why a library departs from the reference (the seed's `circuitbreaker`: open after N consecutive
 * failures, stay open T seconds, one trial), in one line, for the libraries whose reason is known.
 * The conformance report, the lab's table and the matrix all print this line.
 */
const DEPARTURES: Partial<Record<string, string>> = {
  opossum: 'opossum opens on a failure rate over a rolling window, not on N consecutive failures',
};

/**
 * The known reason a library's calls differ from the reference, if there is one. With `settings`
 * that ask for several half-open trials, also why the library cannot do what they ask.
 */
export function departureReason(
  library: string,
  settings?: Pick<BreakerSettings, 'halfOpen'> & { slowCall?: number },
): string | undefined {
  const name = library.split(' ')[0] ?? library;
  const reasons = [
    DEPARTURES[name],
    settings && halfOpenDeparture(name, settings),
    settings?.slowCall !== undefined && name !== 'fleet'
      ? `${name} counts a call when it ends, not when it has run ${settings.slowCall} s: a hanging call counts only at its timeout`
      : undefined,
    settings?.slowCall !== undefined && name === 'fleet'
      ? `fleet counts a call still running after ${settings.slowCall} s as failed (slowCallMs), so it opens sooner on a hanging server and its trials come sooner`
      : undefined,
  ];
  const known = reasons.filter((reason) => reason !== undefined);
  return known.length > 0 ? known.join('; ') : undefined;
}

/** The rule line of a library that counts no failure rate, when the scenario asks for one. */
export function noRateRule(failures: number): string {
  return `no failure rate: opens on ${failures} consecutive failures only`;
}

/** Where a library does not sample the half-open state as asked, why, in a few words. */
function halfOpenDeparture(
  name: string,
  settings: Pick<BreakerSettings, 'halfOpen'>,
): string | undefined {
  const sampling = halfOpenOf(settings);
  const { calls } = sampling;
  if (calls === 1) return undefined; // the one trial every library makes (a share of 1 is 0 failures)
  const reopensAt = allowedFailures(sampling) + 1;
  switch (name) {
    case 'opossum':
      // opossum has no such option: its PENDING_CLOSE flag lets one call through.
      return `opossum lets one trial call through while half-open, not ${calls}: that one call closes or re-opens the circuit`;
    case 'mollitia': {
      // mollitia compares failures / calls x 100 >= failureRateThreshold (99 in its adapter),
      // and only once all its half-open calls are back (SlidingWindowBreaker.executeInHalfOpened).
      let mollitiaAt = 1;
      while ((mollitiaAt / calls) * 100 < 99) mollitiaAt += 1;
      if (mollitiaAt === reopensAt && reopensAt === calls) return undefined;
      return (
        `mollitia judges its ${calls} half-open trials once all are back, by its failure rate threshold ` +
        `(99%), not by a share of their own: it re-opens when ${mollitiaAt} of them failed, not ${reopensAt}`
      );
    }
    case 'fleet':
      // The lab maps `calls` onto halfOpenTrials and successThreshold (shared-circuit.ts); any
      // failed trial re-opens the shared circuit, so no failure share.
      if (reopensAt === 1) return undefined;
      return `fleet closes after ${calls} trial successes but re-opens on the first failed trial, not on failure ${reopensAt}: the shared circuit has no failure share`;
    default:
      return undefined;
  }
}
