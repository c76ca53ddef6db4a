import { RedisUrlError } from './errors/redis-url-error.ts';

/** Where the fleet finds Redis when neither an option nor REDIS_URL says otherwise. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** REDIS_URL, or the default. */
export function redisUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const url = env['REDIS_URL'];
  return url === undefined || url.trim() === '' ? DEFAULT_REDIS_URL : url;
}

/**
 * Checks the form `redis[s]://[user:password@]host[:port][/db]` up front: ioredis reads a string it
 * cannot parse as a Unix socket path, which would only fail later and less clearly.
 */
export function checkRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RedisUrlError(`REDIS_URL must look like redis://host:port, got "${redactUrl(url)}"`);
  }
  if ((parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || parsed.hostname === '') {
    throw new RedisUrlError(`REDIS_URL must look like redis://host:port, got "${redactUrl(url)}"`);
  }
  // ioredis would send SELECT NaN, and throw its error where no caller can catch it.
  const db = urlDb(parsed);
  if (db !== null && !/^\d+$/.test(db)) {
    throw new RedisUrlError(
      `the database in REDIS_URL must be a whole number >= 0, got "${redactUrl(url)}"`,
    );
  }
  return url;
}

/** Query parameters that can carry a secret (ioredis reads `?password=` as the password). */
const SECRET_PARAM = /pass|secret|token|auth|key/i;

/**
 * The URL with every secret hidden, for log lines and errors: the password (a lone user name too,
 * as `redis://secret@host` is a common way to give a password) and any query parameter that can
 * hold one. A string that is not a URL is masked the same way by pattern.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    else if (parsed.username !== '') parsed.username = '***';
    for (const key of [...parsed.searchParams.keys()]) {
      if (SECRET_PARAM.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.href.replaceAll('%2A%2A%2A', '***');
  } catch {
    return url
      .replace(/\/\/[^/?#]*@/, '//***@')
      .replace(/((?:pass|secret|token|auth|key)\w*=)[^&#\s]*/gi, '$1***');
  }
}

/** The database number a URL selects (`/2` or `?db=2`), 0 when it names none. */
export function redisDb(url: string): number {
  try {
    const db = urlDb(new URL(url));
    const number = Number(db ?? 0);
    return Number.isInteger(number) && number >= 0 ? number : 0;
  } catch {
    return 0;
  }
}

/** The database a URL names, as written (`/2` or `?db=2`); null when it names none. */
function urlDb(parsed: URL): string | null {
  return parsed.pathname.length > 1 ? parsed.pathname.slice(1) : parsed.searchParams.get('db');
}

/** A Redis or socket error as a short phrase for a log line. */
export function describeRedisError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  // A script's error names the script's SHA1 and line: noise in a log line.
  const message = (error.message.split('\n')[0] ?? '').replace(/ script: [0-9a-f]{40}.*$/, '');
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
