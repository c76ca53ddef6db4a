/**
 * Why a library departs from the reference (the seed's `circuitbreaker`: open after N consecutive
 * failures, stay open T seconds, one trial), in one line, for the libraries whose reason is known.
 * The conformance report, the lab's table and the matrix all print this line.
 */
const DEPARTURES: Partial<Record<string, string>> = {
  opossum: 'opossum opens on a failure rate over a rolling window, not on N consecutive failures',
};

/** The known reason a library's calls differ from the reference, if there is one. */
export function departureReason(library: string): string | undefined {
  return DEPARTURES[library.split(' ')[0] ?? library];
}
