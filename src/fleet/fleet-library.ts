import { randomUUID } from 'node:crypto';
import type { BreakerLibrary, BreakerSettings } from '../breakers/breaker.ts';
import { packageVersion } from '../breakers/package-version.ts';
import { SharedCircuit } from './shared-circuit.ts';
import { resolveOptions, type SharedCircuitOptions } from './shared-circuit-options.ts';

/** Everything of SharedCircuitOptions but the breaker settings, which the lab passes to `create`. */
export type FleetLibraryOptions = Partial<Omit<SharedCircuitOptions, keyof BreakerSettings>>;

/**
 * The shared circuit as a fourth breaker library for the lab. With a `name`, every breaker it
 * creates (in this process or any other) is the same circuit. Without one, each `create` gets a
 * fresh circuit of its own, as the in-process libraries do, so one run's state never leaks into
 * the next. Options are checked here, before any breaker is created.
 */
export function fleetLibrary(options: FleetLibraryOptions = {}): BreakerLibrary {
  resolveOptions({ name: 'check', failures: 1, resetTimeoutMs: 1, ...options });
  return {
    name: 'fleet',
    version: `ioredis ${packageVersion('ioredis')}`,
    create: (settings) =>
      new SharedCircuit({
        ...options,
        ...settings,
        name: options.name ?? `lab-${randomUUID().slice(0, 8)}`,
      }),
  };
}
