import type { CallRecord } from '../scenario/trace.ts';
import type { ReferenceFixture } from './reference-fixture.ts';

/**
 * Where a run's own timing strayed from the reference's by more than `marginSeconds` (scenario
 * seconds), up to and including its first call that differs from the reference (the only one
 * conformance reports): a call the reference let through that took that much longer (a request
 * timed out on a stalled machine), or a call made while the reference is open that landed that
 * much off its distance from the end of the call that opened it. Such a difference says nothing
 * about the library. Undefined when the timing held.
 */
export function timingStray(
  fixture: ReferenceFixture,
  calls: readonly CallRecord[],
  marginSeconds: number,
): string | undefined {
  let opener: number | undefined;
  for (const expected of fixture.calls) {
    const actual = calls[expected.call - 1];
    if (!actual) return undefined;
    const slower = actual.latency - expected.latency;
    if (expected.outcome !== 'rejected' && slower > marginSeconds)
      return `call ${expected.call} took ${slower.toFixed(2)} s longer than in the reference`;
    const from = opener === undefined ? undefined : fixture.calls[opener - 1];
    const opened = opener === undefined ? undefined : calls[opener - 1];
    if (from && opened) {
      const off =
        actual.at - (opened.at + opened.latency) - (expected.at - (from.at + from.latency));
      if (Math.abs(off) > marginSeconds)
        return `call ${expected.call} was ${off.toFixed(2)} s off its place after the opening call`;
    }
    if (actual.outcome !== expected.outcome || actual.state !== expected.state) return undefined;
    if (expected.state === 'open' && expected.outcome !== 'rejected') opener = expected.call;
    else if (expected.state !== 'open') opener = undefined;
  }
  return undefined;
}
