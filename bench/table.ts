/** A plain-text table for the terminal (and a Markdown one for docs/benchmarks.md), columns aligned. */
export interface Table {
  title: string;
  headers: readonly string[];
  rows: readonly (readonly string[])[];
  /** One line under the table: what the figures mean, or how they were measured. */
  note?: string;
}

/** Text columns line up left, figures right. */
function isFigure(cell: string): boolean {
  return /^[-+~]?[\d.,]+/.test(cell.trim());
}

export function formatTable(table: Table): string {
  const widths = table.headers.map((header, column) =>
    Math.max(header.length, ...table.rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[], alignFigures: boolean) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return alignFigures && isFigure(cell) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [
    table.title,
    '',
    line(table.headers, false),
    rule,
    ...table.rows.map((row) => line(row, true)),
    ...(table.note ? ['', table.note] : []),
  ].join('\n');
}

/** The same table as Markdown, ready to paste into docs/benchmarks.md. */
export function formatMarkdownTable(table: Table): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  const align = table.headers.map((_, column) =>
    table.rows.every((row) => isFigure(row[column] ?? '')) ? '---:' : '---',
  );
  return [
    `| ${table.headers.map(escape).join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}
