import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestCounts } from './request-counts.ts';
import { formatMode, isModeError, MODE_FORMS, parseMode, type ServerMode } from './server-mode.ts';

export const CONTROL_PATH = '/__mock/';

/** Longest mode text accepted; anything longer is not a mode. */
const MAX_BODY = 256;

interface ControlTarget {
  get(): ServerMode;
  set(mode: ServerMode): void;
  requests: RequestCounts;
}

/**
 * `PUT /__mock/mode` with the mode as the body changes the mode; `GET /__mock/mode` reads it with
 * the request counts. Only loopback clients may use it, whatever address the server is bound to.
 */
export function handleControl(
  request: IncomingMessage,
  response: ServerResponse,
  target: ControlTarget,
): void {
  if (!isLoopback(request.socket.remoteAddress)) {
    return reply(response, 403, 'the control endpoint answers loopback clients only\n');
  }
  if (request.url !== '/__mock/mode') return reply(response, 404, 'Not found\n');
  if (request.method === 'GET') {
    return replyJson(response, { mode: formatMode(target.get()), requests: target.requests });
  }
  if (request.method !== 'PUT') {
    response.setHeader('allow', 'GET, PUT');
    return reply(response, 405, 'use PUT with the mode as the body, or GET\n');
  }
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => {
    if (body.length <= MAX_BODY) body += chunk; // read the rest, keep no more than that
  });
  request.on('end', () => {
    if (body.length > MAX_BODY) {
      return reply(
        response,
        400,
        `a mode is at most ${MAX_BODY} characters; expected one of ${MODE_FORMS}\n`,
      );
    }
    try {
      const mode = parseMode(body);
      target.set(mode);
      replyJson(response, { mode: formatMode(mode) });
    } catch (error) {
      if (!isModeError(error)) throw error;
      reply(response, 400, `${error.message}\n`);
    }
  });
}

export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.replace(/^::ffff:/, '');
  return v4.startsWith('127.') || address === '::1';
}

function reply(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}

function replyJson(response: ServerResponse, value: unknown): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(`${JSON.stringify(value)}\n`);
}
