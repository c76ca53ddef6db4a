import { randomUUID } from 'node:crypto';
import {
  isCircuitOpenError,
  SharedCircuit,
  type CircuitState,
  type SharedCircuitOptions,
} from 'shared-circuit';
import { circuitOpen, type Breaker, type BreakerLibrary, type BreakerSettings } from './breaker.ts';
import { packageVersion } from './package-version.ts';

/** Everything of SharedCircuitOptions but the breaker settings, which the lab passes to `create`. */
export type FleetLibraryOptions = Partial<Omit<SharedCircuitOptions, keyof BreakerSettings>> & {
  /** The library's name in traces and in the server's counts. Default `fleet`. */
  libraryName?: string;
};

/**
 * The shared circuit (the shared-circuit package) as a fourth breaker library for the lab. With a
 * `name`, every breaker it creates (in this process or any other) is the same circuit. Without
 * one, each `create` gets a fresh circuit of its own, as the in-process libraries do, so one run's
 * state never leaks into the next. Options are checked here, before any breaker is created: a
 * circuit made with every option and disposed before it connects.
 */
export function fleetLibrary(options: FleetLibraryOptions = {}): BreakerLibrary {
  const { libraryName, ...shared } = options;
  const circuitOptions = (settings: BreakerSettings): SharedCircuitOptions => ({
    ...shared,
    failures: settings.failures,
    resetTimeoutMs: settings.resetTimeoutMs,
    ...(settings.isFailure === undefined ? {} : { isFailure: settings.isFailure }),
    ...(settings.slowCallMs === undefined ? {} : { slowCallMs: settings.slowCallMs }),
    // Several trials before closing: that many at once in the fleet, each success needed (a
    // failed trial re-opens it: no failure share, see departure.ts).
    ...(settings.halfOpen === undefined
      ? {}
      : { halfOpenTrials: settings.halfOpen.calls, successThreshold: settings.halfOpen.calls }),
    ...(settings.failureRate === undefined
      ? {}
      : {
          failureRatio: settings.failureRate.ratio,
          minimumThroughput: settings.failureRate.minimumThroughput,
          samplingDurationMs: settings.failureRate.windowMs,
        }),
    ...(settings.minProcesses === undefined ? {} : { minProcesses: settings.minProcesses }),
    // Callers that are processes of their own (a scenario's broken callers) share one circuit,
    // each under its own process id, as the processes of a fleet do.
    ...(settings.process === undefined
      ? {}
      : { processId: `lab-caller-${settings.process.caller}` }),
    name:
      options.name ??
      (settings.process === undefined
        ? `lab-${randomUUID().slice(0, 8)}`
        : `lab-${settings.process.run}`),
  });
  checkOptions(circuitOptions({ failures: 1, resetTimeoutMs: 1 }));
  return {
    name: libraryName ?? 'fleet',
    version: `shared-circuit ${packageVersion('shared-circuit')}, ioredis ${packageVersion('ioredis')}`,
    create: (settings) =>
      sharedBreaker(new SharedCircuit(circuitOptions(settings)), libraryName ?? 'fleet'),
    rule: fleetRule,
  };
}

/**
 * The shared circuit's rule where it is more than N consecutive failures: a failure rate counted
 * by the whole fleet (either rule opens it), and minProcesses.
 */
function fleetRule(settings: BreakerSettings): string | undefined {
  const parts: string[] = [];
  const rate = settings.failureRate;
  if (rate) {
    parts.push(
      `opens on ${settings.failures} consecutive failures or when at least ${rate.ratio * 100}% of the calls ` +
        `in its last ${Number((rate.windowMs / 1000).toFixed(3))} s failed, once ${rate.minimumThroughput} calls are in that window, ` +
        'counted by every process (counts sent every window / 8, at most 250 ms)',
    );
  }
  if (settings.minProcesses !== undefined && settings.minProcesses > 1) {
    parts.push(
      `the fleet opens only on failures from ${settings.minProcesses} processes; one process's own failures open its own circuit`,
    );
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function checkOptions(options: SharedCircuitOptions): void {
  // The constructor checks every option before it connects; a check needs no connection at all.
  void new SharedCircuit({ ...options, connectTimeoutMs: 1, log: () => {} }).dispose();
}

/**
 * The lab's Breaker contract over a SharedCircuit: its rejection becomes the lab's own. Its state
 * is the one this caller's calls meet: the fleet's, or this process's own circuit (minProcesses
 * from 2) while that one is not closed and the fleet's is.
 */
export function sharedBreaker(circuit: SharedCircuit, library = 'fleet'): Breaker {
  const seen = (): CircuitState => {
    const own = circuit.processState;
    return circuit.state === 'closed' && own !== undefined ? own : circuit.state;
  };
  return {
    get state() {
      return seen();
    },
    execute: (action) =>
      circuit.execute(action).catch((error: unknown) => {
        throw isCircuitOpenError(error) ? circuitOpen(library, error) : error;
      }),
    onStateChange: (listener) => {
      let last = seen();
      const report = () => {
        const now = seen();
        if (now === last) return;
        last = now;
        listener(now);
      };
      circuit.onStateChange(report);
      // Only with a process level (listening makes every call observed): its transitions, and a
      // fallback, after which the local breaker alone decides (processState is then undefined).
      if (circuit.processState !== undefined) {
        circuit.onEvent((event) => {
          if (event.type === 'process-transition' || event.type === 'fallback') report();
        });
      }
    },
    dispose: () => circuit.dispose(),
  };
}
