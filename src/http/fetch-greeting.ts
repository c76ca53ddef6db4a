import { CLIENT_HEADER } from './protocol.ts';

/** Why a request to the service failed, as the client saw it. */
export type RequestFailure =
  | { kind: 'refused' }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'reset' }
  | { kind: 'status'; status: number }
  | { kind: 'network'; code: string }
  /** The caller gave up on it through its signal (the lab's Ctrl-C), not the service. */
  | { kind: 'aborted' };

export class RequestFailedError extends Error {
  override readonly name = 'RequestFailedError';
  constructor(
    readonly url: string,
    readonly failure: RequestFailure,
    options?: { cause?: unknown },
  ) {
    super(`GET ${url} failed: ${describeFailure(failure)}`, options);
  }
}

export function isRequestFailedError(error: unknown): error is RequestFailedError {
  return error instanceof RequestFailedError;
}

export interface FetchGreetingOptions {
  /** Abort the request after this many milliseconds. Required: a client without a timeout hangs with its server. */
  timeoutMs: number;
  /** Sent as `x-circuit-lab-client` so the mock server can count requests per client. Default: not sent. */
  client?: string;
  /** Aborts the request when it fires (rejects with kind `aborted`). Default: none. */
  signal?: AbortSignal;
}

/**
 * `GET url` with Node's own fetch and an explicit timeout; resolves with the body of a 2xx answer.
 * Any other answer, a refused connection, a reset or the timeout rejects with `RequestFailedError`.
 */
export async function fetchGreeting(url: string, options: FetchGreetingOptions): Promise<string> {
  const headers: Record<string, string> = {};
  if (options.client !== undefined) headers[CLIENT_HEADER] = options.client;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const fail = (error: unknown) =>
    new RequestFailedError(
      url,
      options.signal?.aborted ? { kind: 'aborted' } : classify(error, options.timeoutMs),
      { cause: error },
    );
  let response: Response;
  try {
    response = await fetch(url, { headers, signal });
  } catch (error) {
    throw fail(error);
  }
  let body: string;
  try {
    body = await response.text(); // read it either way, so the pooled connection is released
  } catch (error) {
    throw fail(error);
  }
  if (!response.ok) {
    throw new RequestFailedError(url, { kind: 'status', status: response.status });
  }
  return body;
}

function classify(error: unknown, timeoutMs: number): RequestFailure {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return { kind: 'timeout', afterMs: timeoutMs };
  }
  const code = errorCode(error);
  if (code === 'ECONNREFUSED') return { kind: 'refused' };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE')
    return { kind: 'reset' };
  return { kind: 'network', code: code ?? 'unknown' };
}

/** fetch hides the socket error in `cause` (and sometimes in an AggregateError inside it). */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (current instanceof AggregateError && current.errors[0] !== undefined) {
      current = current.errors[0];
    } else {
      current = current.cause;
    }
  }
  return undefined;
}

function describeFailure(failure: RequestFailure): string {
  switch (failure.kind) {
    case 'refused':
      return 'connection refused';
    case 'timeout':
      return `no answer within ${failure.afterMs} ms`;
    case 'reset':
      return 'connection reset';
    case 'status':
      return `HTTP ${failure.status}`;
    case 'network':
      return `network error ${failure.code}`;
    case 'aborted':
      return 'aborted by the caller';
  }
}
