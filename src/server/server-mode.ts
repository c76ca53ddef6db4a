import { isErrorStatus } from '../http/protocol.ts';
import { InputError } from '../input-error.ts';

/**
 * What a running mock server does with each request. "Down" is not a mode: it is the port
 * closed (`MockServer.stop()` / `ServerSwitch.turnOff()`).
 */
export type ServerMode =
  | { kind: 'up' }
  | { kind: 'slow'; ms: number }
  | { kind: 'hang' }
  | { kind: 'error'; status: number }
  | { kind: 'flaky'; rate: number }
  /** Every `n`-th request of each client, counted from when the mode was set, gets 503. */
  | { kind: 'fail-every'; n: number }
  | { kind: 'reset' };

export const MODE_FORMS =
  'up, slow=<ms>, hang, error=<status 400-599>, flaky=<rate 0-1>, fail-every=<n>, reset';

/** A server mode that is none of MODE_FORMS. */
export class ModeError extends InputError {
  override readonly name = 'ModeError';
}

export function isModeError(error: unknown): error is ModeError {
  return error instanceof ModeError;
}

/** Parses `up`, `slow=800`, `hang`, `error=503`, `flaky=0.3`, `fail-every=2`, `reset` (`on` is `up`). */
export function parseMode(text: string): ServerMode {
  const [name = '', value, ...rest] = text.trim().split('=');
  const fail = (): never => {
    throw new ModeError(`"${text}" is not a server mode; expected one of ${MODE_FORMS}`);
  };
  if (rest.length > 0) fail();
  const number = value === undefined || value.trim() === '' ? Number.NaN : Number(value);
  switch (name) {
    case 'up':
    case 'on':
      return value === undefined ? { kind: 'up' } : fail();
    case 'hang':
      return value === undefined ? { kind: 'hang' } : fail();
    case 'reset':
      return value === undefined ? { kind: 'reset' } : fail();
    case 'slow':
      return Number.isInteger(number) && number >= 0 ? { kind: 'slow', ms: number } : fail();
    case 'error':
      return isErrorStatus(number) ? { kind: 'error', status: number } : fail();
    case 'flaky':
      return Number.isFinite(number) && number >= 0 && number <= 1
        ? { kind: 'flaky', rate: number }
        : fail();
    case 'fail-every':
      return Number.isInteger(number) && number >= 1 ? { kind: 'fail-every', n: number } : fail();
    default:
      return fail();
  }
}

/** The inverse of `parseMode`: `slow=800`, `hang`, ... */
export function formatMode(mode: ServerMode): string {
  switch (mode.kind) {
    case 'up':
    case 'hang':
    case 'reset':
      return mode.kind;
    case 'slow':
      return `slow=${mode.ms}`;
    case 'error':
      return `error=${mode.status}`;
    case 'flaky':
      return `flaky=${mode.rate}`;
    case 'fail-every':
      return `fail-every=${mode.n}`;
  }
}

/** A small seeded generator (mulberry32): `flaky` runs repeat exactly for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The random sources behind `flaky`: one stream per client, each from the same seed, so every
 * client (every library in the lab) sees the same pattern of failures whatever order its requests
 * arrive in. Kept by whoever outlives a server restart, so a sequence goes on after an outage.
 */
export class RandomSources {
  readonly #streams = new Map<string, () => number>();
  constructor(readonly seed: number) {}

  for(client: string): () => number {
    let stream = this.#streams.get(client);
    if (!stream) {
      stream = seededRandom(this.seed);
      this.#streams.set(client, stream);
    }
    return stream;
  }
}
