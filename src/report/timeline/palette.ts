import type { CircuitState } from '../../breakers/breaker.ts';
import type { ServerSetting } from '../../scenario/scenario.ts';

/** A fill and the text colour readable on it. */
export interface Swatch {
  fill: string;
  text: string;
}

/** Saturated state colours for strips and the legend; `tint` is the pale lane background. */
export const STATE_COLOURS: Record<CircuitState, { solid: string; tint: string; text: string }> = {
  closed: { solid: '#2da44e', tint: '#e3f6e8', text: '#116329' },
  open: { solid: '#cf222e', tint: '#ffe5e3', text: '#a40e26' },
  'half-open': { solid: '#d4a72c', tint: '#fff4c2', text: '#7d4e00' },
};

/**
 * Server settings by kind, the text before `=` in a setting such as `slow=800`. The palette avoids the
 * state colours' exact hues so the band never reads as a circuit state.
 */
export const SERVER_SWATCHES: Record<ServerKind, Swatch> = {
  on: { fill: '#8ddb9f', text: '#0f3d1c' },
  off: { fill: '#57606a', text: '#ffffff' },
  slow: { fill: '#fb8f44', text: '#3d1e00' },
  hang: { fill: '#8250df', text: '#ffffff' },
  error: { fill: '#e0455a', text: '#ffffff' },
  flaky: { fill: '#e7a1c5', text: '#4d1130' },
  'fail-every': { fill: '#c297e0', text: '#2e0f4d' },
  reset: { fill: '#8a5a2b', text: '#ffffff' },
};

/** A server setting without its value: `slow=800` -> `slow`. */
export type ServerKind = ServerSetting extends infer S
  ? S extends `${infer Kind}=${string}`
    ? Kind
    : S
  : never;

export function serverKind(setting: ServerSetting): ServerKind {
  const equals = setting.indexOf('=');
  return (equals === -1 ? setting : setting.slice(0, equals)) as ServerKind;
}

export function serverSwatch(setting: ServerSetting): Swatch {
  return SERVER_SWATCHES[serverKind(setting)];
}

/** What each server kind means, for the legend. */
export const SERVER_KIND_MEANINGS: Record<ServerKind, string> = {
  on: 'answers 200',
  off: 'port closed',
  slow: 'answers after a delay',
  hang: 'never answers',
  error: 'answers an error status',
  flaky: 'a share of requests get 503',
  'fail-every': 'every n-th request gets 503',
  reset: 'drops the connection',
};
