import { test as nodeTest, type TestContext, type TestOptions } from 'node:test';
import {
  missingRedis,
  onPath,
  REDIS_INSTALL_HINT,
} from '../../src/fleet-demo/redis-availability.ts';

/**
 * Why this machine's tests cannot have a Redis (no REDIS_URL, no `redis-server` to start), in one
 * line that says how to get it; undefined when they can. CI installs it (.ci/run): there the
 * tests always run.
 */
export const REDIS_MISSING = missingRedis();

/**
 * The Redis tests also start servers of their own (a private one to break, a cluster, a replica):
 * without `redis-server` on the PATH they are skipped even when REDIS_URL names a server.
 */
const REDIS_SERVER_MISSING =
  REDIS_MISSING ??
  (onPath('redis-server') ? undefined : `no redis-server on the PATH; ${REDIS_INSTALL_HINT}`);

/** The Sentinel test's own reason: Debian ships `redis-sentinel` as a package of its own. */
export const SENTINEL_MISSING = onPath('redis-sentinel')
  ? undefined
  : "no redis-sentinel on the PATH; install Debian's redis-sentinel package (apt-get install redis-sentinel), or run bash .ci/run";

type TestFn = (t: TestContext) => void | Promise<void>;

/**
 * node:test's `test`, for a file whose tests need Redis: skipped with the REDIS_MISSING line when
 * there is none, so a fresh clone's `npm test` passes and says what it did not run.
 */
export function test(name: string, fn: TestFn): void;
export function test(name: string, options: TestOptions, fn: TestFn): void;
export function test(name: string, second: TestOptions | TestFn, third?: TestFn): void {
  const options = typeof second === 'function' ? {} : second;
  const fn = typeof second === 'function' ? second : third;
  // node:test runs it and reports its end itself, as with a plain top-level test().
  void nodeTest(name, { ...options, skip: options.skip ?? REDIS_SERVER_MISSING ?? false }, fn);
}
