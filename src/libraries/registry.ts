import type { BreakerLibrary } from '../breakers/breaker.ts';
import { cockatiel } from '../breakers/cockatiel.ts';
import { mollitia } from '../breakers/mollitia.ts';
import { opossum } from '../breakers/opossum.ts';
import { fleetLibrary } from '../breakers/shared-circuit.ts';

/** The in-process libraries, in display order: what the matrix and the benchmarks compare. */
export const IN_PROCESS_NAMES = ['opossum', 'cockatiel', 'mollitia'] as const;
export type InProcessName = (typeof IN_PROCESS_NAMES)[number];
export const LIBRARIES: Readonly<Record<InProcessName, BreakerLibrary>> = {
  opossum,
  cockatiel,
  mollitia,
};

/** Every name the lab accepts: the in-process libraries and `fleet`, the circuit shared in Redis. */
export const LIBRARY_NAMES = [...IN_PROCESS_NAMES, 'fleet'] as const;
export type LibraryName = (typeof LIBRARY_NAMES)[number];

/** What the lab runs without `--library`: every in-process library (fleet needs a Redis). */
export const DEFAULT_LIBRARIES: readonly LibraryName[] = IN_PROCESS_NAMES;

/**
 * The library of that name. `fleet` reads REDIS_URL now, so a malformed one fails here, before
 * anything runs, with an InputError; `fleetNamespace` is where its circuits' keys go (default the
 * package's, `circuit`).
 */
export function libraryNamed(name: LibraryName, fleetNamespace?: string): BreakerLibrary {
  if (name !== 'fleet') return LIBRARIES[name];
  return fleetLibrary(fleetNamespace === undefined ? {} : { namespace: fleetNamespace });
}
