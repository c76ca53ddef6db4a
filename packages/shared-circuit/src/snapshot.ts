/**
 * The shared circuit's state as a Lua script reports it, in a reply or a pub/sub message. Times
 * are relative ("in N ms"), so no process has to agree with Redis's clock.
 */
export type Snapshot =
  /** `spell`: the version at which it closed, '' when Redis has none (saved by an older version). */
  | { state: 'closed'; version: number; failures: number; spell: string }
  /** `forced`: isolated by hand (control.ts), open with no trial until released. */
  | { state: 'open'; version: number; retryInMs: number; forced?: true }
  | { state: 'half-open'; version: number; leaseMs: number };

/** What the trial script answers: a snapshot, and whether this caller holds the trial lease. */
export type TrialReply = Snapshot & { granted: boolean };

export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
}

/** Parses the JSON a script returns or publishes; anything else is a bug, not a Redis outage. */
export function parseSnapshot(json: string): TrialReply {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw bad(json);
  }
  if (typeof value !== 'object' || value === null) throw bad(json);
  const record = value as Record<string, unknown>;
  const version = versionField(record, json);
  const granted = record['granted'] === true;
  switch (record['state']) {
    case 'closed':
      return {
        state: 'closed',
        version,
        failures: numberField(record, 'failures', json),
        spell: typeof record['spell'] === 'string' ? record['spell'] : '',
        granted,
      };
    case 'open': {
      const retryInMs = numberField(record, 'retryInMs', json);
      if (record['forced'] === true) {
        return { state: 'open', version, retryInMs, forced: true, granted };
      }
      return { state: 'open', version, retryInMs, granted };
    }
    case 'half-open':
      return {
        state: 'half-open',
        version,
        leaseMs: numberField(record, 'leaseMs', json),
        granted,
      };
    default:
      throw bad(json);
  }
}

function numberField(record: Record<string, unknown>, field: string, json: string): number {
  const value = record[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(json);
  return value;
}

/** A version is a number, or a string of digits (scripts.ts sends it so, for its 16 digits). */
function versionField(record: Record<string, unknown>, json: string): number {
  const value = record['version'];
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return numberField(record, 'version', json);
}

function bad(json: string): SnapshotError {
  return new SnapshotError(`not a circuit snapshot: ${json.slice(0, 200)}`);
}
