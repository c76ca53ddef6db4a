import type { CircuitState } from '../../breakers/breaker.ts';

export type Paint = (state: CircuitState, text: string) => string;

const CODES: Record<CircuitState, number> = { closed: 32, open: 31, 'half-open': 33 };

/** Colour for a terminal (closed green, open red, half-open yellow); plain when piped or NO_COLOR is set. */
export function statePainter(
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): Paint {
  const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  const forced = env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0';
  if (noColor || (!stream.isTTY && !forced)) return (_state, text) => text;
  return (state, text) => `\u001b[${CODES[state]}m${text}\u001b[39m`;
}
