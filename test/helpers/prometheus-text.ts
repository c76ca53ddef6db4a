/** The samples of a Prometheus text scrape: `name{labels}` to its value (comments skipped). */
export function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const row of text.split('\n')) {
    if (row === '' || row.startsWith('#')) continue;
    const space = row.lastIndexOf(' ');
    map.set(row.slice(0, space), Number(row.slice(space + 1)));
  }
  return map;
}
