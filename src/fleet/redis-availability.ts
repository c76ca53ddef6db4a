import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * What to do when there is no Redis, in the same words wherever it is said: the tests that skip,
 * `npm run bench`, `npm run fleet`.
 */
export const REDIS_INSTALL_HINT =
  "install Debian's redis-server package (apt-get install redis-server), or run bash .ci/run, which installs it and runs the tests";

/** True when `command` is an executable file in one of the PATH's folders. */
export function onPath(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return (env['PATH'] ?? '')
    .split(delimiter)
    .filter((folder) => folder !== '')
    .some((folder) => {
      try {
        accessSync(join(folder, command), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/**
 * Why a private Redis cannot be had here, or undefined when it can: REDIS_URL names one, or
 * `redis-server` is on the PATH to start one. The one line the tests and the bench print.
 */
export function missingRedis(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env['REDIS_URL'];
  if ((url !== undefined && url.trim() !== '') || onPath('redis-server', env)) return undefined;
  return `no Redis: redis-server is not on the PATH and REDIS_URL is not set; ${REDIS_INSTALL_HINT}`;
}
