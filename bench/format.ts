/** Number formats shared by the tables, so every table reads the same way. */

/** `1,234` */
export function whole(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** `1,234 (p75 1,301)`: a median and how far the slower quarter of samples reaches. */
export function withP75(value: number, p75: number): string {
  return `${whole(value)} (p75 ${whole(p75)})`;
}

/** `2.35x` */
export function ratio(value: number): string {
  return `${value.toFixed(2)}x`;
}

/** `+4.1%` or `-0.3%` */
export function signedPercent(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}%`;
}

/** `0.04 ms` below 1 ms, `1.2 ms` below 10 ms, `1,234 ms` above. */
export function ms(value: number): string {
  if (value < 1) return `${value.toFixed(2)} ms`;
  return value < 10 ? `${value.toFixed(1)} ms` : `${whole(value)} ms`;
}

/** `12.3 KiB` or `512 B` */
export function bytes(value: number): string {
  return Math.abs(value) >= 1024 ? `${(value / 1024).toFixed(1)} KiB` : `${Math.round(value)} B`;
}
