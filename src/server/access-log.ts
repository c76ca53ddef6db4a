import type { IncomingMessage } from 'node:http';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * One line in the style of the seed's Flask (werkzeug) log:
 * `127.0.0.1 - - [02/Dec/2019 12:35:07] "GET / HTTP/1.1" 200 -`
 */
export function formatAccessLine(
  request: IncomingMessage,
  status: number,
  date: Date = new Date(),
): string {
  const remote = (request.socket.remoteAddress ?? '-').replace(/^::ffff:/, '');
  const requestLine = `${request.method ?? '-'} ${request.url ?? '-'} HTTP/${request.httpVersion}`;
  return `${remote} - - [${formatLogDate(date)}] "${requestLine}" ${status} -`;
}

/** `02/Dec/2019 12:35:07`, local time, as werkzeug prints it. */
export function formatLogDate(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${two(date.getDate())}/${MONTHS[date.getMonth()]}/${date.getFullYear()}`;
  return `${day} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}
