import type { Trace } from '../../scenario/trace.ts';
import { formatSeedLine, SERVER_OFF_LINE, SERVER_ON_LINE } from './seed-line.ts';

/**
 * The seed's own output, one library after another: a `Server is ...` line where the server
 * changes, then `get_greeting circuit state: ...` after every call.
 */
export function formatSeedRuns(trace: Trace): string {
  const blocks = trace.runs.map((run) => {
    const lines = [`# ${run.library} ${run.version}`];
    let server: string | undefined;
    for (const record of run.calls) {
      if (record.server !== server) {
        server = record.server;
        lines.push(serverLine(server));
      }
      lines.push(formatSeedLine(record.state, record.timeTillRetry));
    }
    return lines.join('\n');
  });
  return blocks.join('\n\n');
}

function serverLine(server: string): string {
  if (server === 'off') return SERVER_OFF_LINE;
  if (server === 'on') return SERVER_ON_LINE;
  return `Server is turning ${server}...`;
}
