/** What the client and the mock server agree on, shared by both sides. */

/** The request header a client sets so the server can count requests per client. */
export const CLIENT_HEADER = 'x-circuit-lab-client';

/** An HTTP status that answers a request with an error: 400-599. */
export function isErrorStatus(status: number): boolean {
  return Number.isInteger(status) && status >= 400 && status <= 599;
}
