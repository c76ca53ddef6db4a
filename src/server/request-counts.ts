import type { IncomingMessage } from 'node:http';
import { CLIENT_HEADER } from '../http/protocol.ts';

/** Requests that reached the server (control requests excluded). */
export interface RequestCounts {
  total: number;
  /** Keyed by the `x-circuit-lab-client` header ("-" when absent). */
  byClient: Record<string, number>;
  /** Keyed by the mode in force when the request arrived (`up`, `slow=800`, ...). */
  byMode: Record<string, number>;
}

export function emptyCounts(): RequestCounts {
  return { total: 0, byClient: {}, byMode: {} };
}

/** Counts the request under its client and the mode in force; returns the client. */
export function countRequest(
  requests: RequestCounts,
  request: IncomingMessage,
  mode: string,
): string {
  const header = request.headers[CLIENT_HEADER];
  const client = (Array.isArray(header) ? header[0] : header) ?? '-';
  requests.total += 1;
  requests.byClient[client] = (requests.byClient[client] ?? 0) + 1;
  requests.byMode[mode] = (requests.byMode[mode] ?? 0) + 1;
  return client;
}
