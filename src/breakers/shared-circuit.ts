import { randomUUID } from 'node:crypto';
import { isCircuitOpenError, SharedCircuit, type SharedCircuitOptions } from 'shared-circuit';
import { circuitOpen, type Breaker, type BreakerLibrary, type BreakerSettings } from './breaker.ts';
import { packageVersion } from './package-version.ts';

/** Everything of SharedCircuitOptions but the breaker settings, which the lab passes to `create`. */
export type FleetLibraryOptions = Partial<Omit<SharedCircuitOptions, keyof BreakerSettings>>;

/**
 * The shared circuit (the shared-circuit package) as a fourth breaker library for the lab. With a
 * `name`, every breaker it creates (in this process or any other) is the same circuit. Without
 * one, each `create` gets a fresh circuit of its own, as the in-process libraries do, so one run's
 * state never leaks into the next. Options are checked here, before any breaker is created: a
 * circuit made with every option and disposed before it connects.
 */
export function fleetLibrary(options: FleetLibraryOptions = {}): BreakerLibrary {
  const circuitOptions = (settings: BreakerSettings): SharedCircuitOptions => ({
    ...options,
    failures: settings.failures,
    resetTimeoutMs: settings.resetTimeoutMs,
    ...(settings.isFailure === undefined ? {} : { isFailure: settings.isFailure }),
    ...(settings.slowCallMs === undefined ? {} : { slowCallMs: settings.slowCallMs }),
    // Several trials before closing: that many at once in the fleet, each success needed (a
    // failed trial re-opens it: no failure share, see departure.ts).
    ...(settings.halfOpen === undefined
      ? {}
      : { halfOpenTrials: settings.halfOpen.calls, successThreshold: settings.halfOpen.calls }),
    name: options.name ?? `lab-${randomUUID().slice(0, 8)}`,
  });
  checkOptions(circuitOptions({ failures: 1, resetTimeoutMs: 1 }));
  return {
    name: 'fleet',
    version: `shared-circuit ${packageVersion('shared-circuit')}, ioredis ${packageVersion('ioredis')}`,
    create: (settings) => sharedBreaker(new SharedCircuit(circuitOptions(settings))),
  };
}

function checkOptions(options: SharedCircuitOptions): void {
  // The constructor checks every option before it connects; a check needs no connection at all.
  void new SharedCircuit({ ...options, connectTimeoutMs: 1, log: () => {} }).dispose();
}

/** The lab's Breaker contract over a SharedCircuit: its rejection becomes the lab's own. */
export function sharedBreaker(circuit: SharedCircuit): Breaker {
  return {
    get state() {
      return circuit.state;
    },
    execute: (action) =>
      circuit.execute(action).catch((error: unknown) => {
        throw isCircuitOpenError(error) ? circuitOpen('fleet', error) : error;
      }),
    onStateChange: (listener) => void circuit.onStateChange(listener),
    dispose: () => circuit.dispose(),
  };
}
