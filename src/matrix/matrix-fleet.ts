import { randomUUID } from 'node:crypto';
import type { BreakerLibrary } from '../breakers/breaker.ts';
import { fleetLibrary } from '../breakers/shared-circuit.ts';
import { forgetNamespace } from '../fleet-demo/namespace-keys.ts';
import { probeRedis, redisUrlFromEnv } from '../fleet-demo/redis-availability.ts';
import { redactRedisUrl } from 'shared-circuit';

/** The shared circuit in the matrix: a column of its own when a Redis answers, else why not. */
export type MatrixFleet =
  | {
      kind: 'joined';
      library: BreakerLibrary;
      /** Lines the circuit logged (Redis went away): its column is then not the shared circuit's. */
      logged: string[];
      /** Deletes the run's keys (a namespace of its own). */
      [Symbol.asyncDispose](): Promise<void>;
    }
  | { kind: 'skipped'; line: string };

/** Probes REDIS_URL once; the fleet's circuits get a namespace of their own, deleted at the end. */
export async function matrixFleet(
  env: NodeJS.ProcessEnv = process.env,
  namespace = `matrix-${randomUUID().slice(0, 8)}`,
): Promise<MatrixFleet> {
  const url = redisUrlFromEnv(env);
  const probe = await probeRedis(url);
  if (!probe.reachable) {
    return {
      kind: 'skipped',
      line:
        `fleet: skipped, no Redis answered at ${redactRedisUrl(url)} (${probe.reason}); ` +
        "set REDIS_URL to a running Redis to add the shared circuit's column",
    };
  }
  const logged: string[] = [];
  // A bad namespace is the package's options error, an InputError: one line, exit 2.
  const library = fleetLibrary({ redisUrl: url, namespace, log: (line) => logged.push(line) });
  return {
    kind: 'joined',
    library,
    logged,
    [Symbol.asyncDispose]: () => forgetNamespace(url, namespace),
  };
}
