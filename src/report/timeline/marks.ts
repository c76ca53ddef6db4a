import type { Outcome } from '../../scenario/trace.ts';

/**
 * The shape drawn for each call outcome, centred on (0, 0). Outcomes differ by shape and colour,
 * so the timeline reads in greyscale and for colour-blind readers too.
 */
export interface MarkStyle {
  /** Colour of the shape and its latency bar. */
  colour: string;
  /** SVG for the shape, centred on the origin. */
  shape: string;
  /** For the legend. */
  meaning: string;
}

const MARKS: Record<Outcome, MarkStyle> = {
  success: {
    colour: '#1a7f37',
    shape: '<circle r="5.5" fill="#1a7f37" stroke="#fff" stroke-width="1.5"/>',
    meaning: 'success',
  },
  failure: {
    colour: '#cf222e',
    shape:
      '<path d="M-4.5-4.5L4.5 4.5M-4.5 4.5L4.5-4.5" stroke="#fff" stroke-width="5" stroke-linecap="round"/>' +
      '<path d="M-4.5-4.5L4.5 4.5M-4.5 4.5L4.5-4.5" stroke="#cf222e" stroke-width="2.6" stroke-linecap="round"/>',
    meaning: 'failure',
  },
  rejected: {
    colour: '#424a53',
    shape:
      '<rect x="-4.5" y="-4.5" width="9" height="9" fill="#fff" stroke="#424a53" stroke-width="2"/>',
    meaning: 'rejected by the open circuit',
  },
  ignored: {
    colour: '#8250df',
    shape: '<path d="M0-6L6 0L0 6L-6 0Z" fill="#fff" stroke="#8250df" stroke-width="2"/>',
    meaning: 'error the breaker ignored',
  },
  interrupted: {
    colour: '#6e7781',
    shape:
      '<circle r="5" fill="#fff" stroke="#6e7781" stroke-width="2"/><path d="M-3.5 3.5L3.5-3.5" stroke="#6e7781" stroke-width="2"/>',
    meaning: 'cut short: the run was interrupted',
  },
};

/** Outcomes in legend order. */
export const MARK_OUTCOMES = ['success', 'failure', 'rejected', 'ignored', 'interrupted'] as const;

export function markStyle(outcome: Outcome): MarkStyle {
  return MARKS[outcome];
}

/** The ring around a call that went through while half-open (a trial of the service). */
export const TRIAL_RING =
  '<circle class="trial-ring" r="9.5" fill="none" stroke="#9a6700" stroke-width="2"/>';

/** A latency bar narrower than this many pixels is not drawn: the tooltip still says it. */
export const MIN_LATENCY_BAR_PX = 4;
