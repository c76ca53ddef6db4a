import type { Trace } from '../scenario/trace.ts';

/**
 * The trace as one JSON document, times rounded to 0.1 ms of scenario time. Objects whose values
 * are all plain (a call, a span, a summary) stay on one line, so a run reads one call per line.
 */
export function formatJsonTrace(trace: Trace): string {
  return format(JSON.parse(JSON.stringify(trace, round)) as unknown, '');
}

function round(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value)
    ? Math.round(value * 1e4) / 1e4
    : value;
}

function format(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isPlain)) return `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
    return `[\n${value.map((item) => inner + format(item, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  if (entries.every(([, item]) => isPlain(item))) {
    return `{ ${entries.map(([key, item]) => `${JSON.stringify(key)}: ${JSON.stringify(item)}`).join(', ')} }`;
  }
  return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${format(item, inner)}`).join(',\n')}\n${indent}}`;
}

function isPlain(value: unknown): boolean {
  return (
    value === null || typeof value !== 'object' || (Array.isArray(value) && value.length === 0)
  );
}
