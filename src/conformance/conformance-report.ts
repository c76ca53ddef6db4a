import type { CallResult, ConformanceResult } from './run-conformance.ts';
import { departureReason } from '../breakers/departure.ts';
import { mismatchReason } from './run-conformance.ts';

/** Per library: fixtures matched call by call out of the total; per mismatch, its first differing call. */
export function formatConformance(result: ConformanceResult, reference: string): string {
  const names = Object.keys(result.libraries);
  const width = Math.max(...names.map((name) => name.length));
  const lines = [`${result.fixtures} fixtures from ${reference}, compared call by call`];
  for (const name of names) {
    const library = result.libraries[name];
    if (!library) continue;
    const share = Math.round((library.matched / result.fixtures) * 100);
    // The library's reason once, on its line; each mismatch says which way it went where known.
    const known = library.mismatches.length > 0 ? departureReason(name) : undefined;
    lines.push(
      '',
      `${name.padEnd(width)}  ${library.matched}/${result.fixtures} matched (${share}%)` +
        (known ? `: ${known}` : ''),
    );
    for (const mismatch of library.mismatches) {
      const why = mismatchReason(name, mismatch);
      const because = why ? (why.detail ? `: ${why.detail}` : '') : ': reason unknown';
      lines.push(
        `  ${mismatch.fixture}, call ${mismatch.call}: ${describe(mismatch.actual)} where the reference gives ` +
          `${describe(mismatch.expected)}${because}`,
      );
    }
  }
  return lines.join('\n');
}

function describe(result: CallResult | null): string {
  return result ? `${result.outcome}, ${result.state}` : 'no call';
}

/** `--json`: `{ fixtures, libraries: { name: { matched, mismatches: [{ fixture, call, expected, actual }] } } }`. */
export function formatConformanceJson(result: ConformanceResult): string {
  return JSON.stringify(result, null, 2);
}
