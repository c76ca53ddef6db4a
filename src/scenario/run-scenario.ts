import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type {
  Breaker,
  BreakerLibrary,
  BreakerSettings,
  CircuitState,
} from '../breakers/breaker.ts';
import { callThrough } from '../breakers/call-through.ts';
import { CircuitWatch } from '../breakers/circuit-watch.ts';
import { fetchGreeting, isRequestFailedError } from '../http/fetch-greeting.ts';
import type { ServerMode } from '../server/server-mode.ts';
import { ServerSwitch } from '../server/server-switch.ts';
import { serverModeOf, type Phase, type Scenario, type ServerSetting } from './scenario.ts';
import { ScenarioTime } from './scenario-time.ts';
import type { CallRecord, LibraryRun, Outcome, ServerSpan, StateSpan, Trace } from './trace.ts';

/** The time window given to libraries that count over time, in scenario seconds (opossum's default). */
export const ROLLING_WINDOW_SECONDS = 10;

/** Something that happened during a run, for live views. */
export type RunEvent =
  | { type: 'phase'; phase: Phase; index: number; at: number }
  | {
      type: 'call';
      call: number;
      at: number;
      server: Phase['server'];
      /** Every library's record(s) of this call, one per caller. */
      records: (CallRecord & { library: string })[];
      /** Each library's state once the last of its callers finished, and the time till a trial then. */
      after: Record<string, LaneAfter>;
    };

/** A library's circuit read once every caller of a call has finished. */
export interface LaneAfter {
  state: CircuitState;
  /** Scenario seconds, as CallRecord.timeTillRetry. */
  timeTillRetry: number;
}

export interface RunOptions {
  scenario: Scenario;
  libraries: readonly BreakerLibrary[];
  /** Default `localhost`. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /**
   * The mock server to switch, made beforehand (the lab makes it before printing anything, so a
   * taken port is its only output). Default: one made on `host` and `port`. Left off at the end.
   */
  server?: ServerSwitch;
  onEvent?: (event: RunEvent) => void;
  /**
   * Aborting stops the run: the requests in flight are aborted (recorded as `interrupted`), no
   * further call is made, and the trace so far is returned.
   */
  signal?: AbortSignal;
  /**
   * Waits the delay between calls (real milliseconds). Default: a timer the signal cancels.
   * `npm run conformance` paces calls to a reference's own timeline through it.
   */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface Lane {
  library: BreakerLibrary;
  /** One breaker for every caller, or with broken callers one per caller (each a process). */
  breakers: Breaker[];
  watches: CircuitWatch[];
  /** The last caller's breaker, whose state the row, the summary and the timeline show. */
  breaker: Breaker;
  watch: CircuitWatch;
  calls: CallRecord[];
}

/**
 * Runs a scenario for every library at once against one mock server, on one timeline: for each
 * call, every library makes its call at the same moment, then all wait `delay`.
 * Returns a trace of what each library really did.
 */
export async function runScenario(options: RunOptions): Promise<Trace> {
  const { scenario, signal } = options;
  // The libraries read the real clock themselves, so the runner does too.
  const now = () => performance.now();
  const time = new ScenarioTime(scenario.speed);
  const realMs = (seconds: number) => time.realMs(seconds);
  const server =
    options.server ??
    (await ServerSwitch.create({
      ...(options.host !== undefined ? { host: options.host } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
    }));
  const resetTimeoutMs = realMs(scenario.resetTimeout);
  const isFailure = failureFilter(scenario.ignoreStatuses);
  const lanes: Lane[] = [];
  let start = now();
  const scenarioSeconds = (ms: number) => time.seconds(ms);
  const since = (ms: number) => scenarioSeconds(ms - start);
  let callNumber = 0;
  let interrupted = false;
  let end = start;
  const serverSpans: ServerSpan[] = [];

  // Broken callers call a loopback port that was free a moment ago: connections are refused.
  const brokenUrl = scenario.brokenCallers === undefined ? undefined : await closedPortUrl();
  const isBroken = (caller: number) =>
    scenario.brokenCallers !== undefined && caller > scenario.concurrency - scenario.brokenCallers;
  try {
    for (const library of options.libraries) {
      const settings: BreakerSettings = {
        failures: scenario.failures,
        resetTimeoutMs,
        rollingWindowMs: realMs(ROLLING_WINDOW_SECONDS),
        ...(isFailure ? { isFailure } : {}),
        ...(scenario.halfOpen ? { halfOpen: scenario.halfOpen } : {}),
        ...(scenario.slowCall === undefined ? {} : { slowCallMs: realMs(scenario.slowCall) }),
        ...(scenario.failureRate === undefined
          ? {}
          : {
              failureRate: {
                ratio: scenario.failureRate.ratio,
                minimumThroughput: scenario.failureRate.minimumThroughput,
                windowMs: realMs(scenario.failureRate.window),
              },
            }),
        ...(scenario.minProcesses === undefined ? {} : { minProcesses: scenario.minProcesses }),
      };
      // With broken callers each caller is a process of its own, with a breaker of its own.
      const run = randomUUID().slice(0, 8);
      const breakers =
        scenario.brokenCallers === undefined
          ? [library.create(settings)]
          : Array.from({ length: scenario.concurrency }, (_, index) =>
              library.create({ ...settings, process: { run, caller: index + 1 } }),
            );
      const watches = breakers.map((breaker) => new CircuitWatch(breaker, resetTimeoutMs, now));
      const last = breakers.length - 1;
      lanes.push({
        library,
        breakers,
        watches,
        breaker: breakers[last] as Breaker,
        watch: watches[last] as CircuitWatch,
        calls: [],
      });
    }
    start = now();
    end = start;
    phases: for (const [index, phase] of scenario.schedule.entries()) {
      const mode = scaleMode(serverModeOf(phase.server), scenario.speed);
      if (mode) await server.turnOn(mode);
      else await server.turnOff();
      const phaseStart = since(now());
      const previous = serverSpans.at(-1);
      if (previous) previous.to = phaseStart;
      serverSpans.push({ server: phase.server, from: phaseStart, to: phaseStart });
      options.onEvent?.({ type: 'phase', phase, index, at: phaseStart });
      for (let i = 0; i < phase.calls; i += 1) {
        if (signal?.aborted) {
          interrupted = true;
          break phases;
        }
        callNumber += 1;
        const startedAt = now();
        const records = await Promise.all(
          lanes.flatMap((lane) =>
            Array.from({ length: scenario.concurrency }, async (_, caller) => ({
              ...(await callOnce(lane, callNumber, caller + 1, startedAt, phase.server)),
              library: lane.library.name,
            })),
          ),
        );
        const afterAll = now();
        options.onEvent?.({
          type: 'call',
          call: callNumber,
          at: since(startedAt),
          server: phase.server,
          records,
          after: Object.fromEntries(
            lanes.map((lane) => [
              lane.library.name,
              {
                state: lane.breaker.state,
                timeTillRetry: scenarioSeconds(lane.watch.timeTillRetryMs(afterAll)),
              },
            ]),
          ),
        });
        await (options.sleep ?? sleep)(realMs(scenario.delay), signal);
      }
    }
  } finally {
    // The run ends with its last call: stopping the server and the breakers is not part of it.
    end = now();
    for (const lane of lanes) for (const watch of lane.watches) watch.stop();
    await server.turnOff();
    await Promise.all(lanes.flatMap((lane) => lane.breakers.map((breaker) => breaker.dispose())));
  }
  if (signal?.aborted) interrupted = true;
  const lastSpan = serverSpans.at(-1);
  if (lastSpan) lastSpan.to = since(end);

  async function callOnce(
    lane: Lane,
    call: number,
    caller: number,
    startedAt: number,
    setting: ServerSetting,
  ): Promise<CallRecord> {
    const callStart = now();
    let aborted = false;
    const own = lane.breakers.length > 1 ? caller - 1 : 0;
    const breaker = lane.breakers[own] as Breaker;
    const watch = lane.watches[own] as CircuitWatch;
    const result = await callThrough(
      breaker,
      () =>
        fetchGreeting(isBroken(caller) && brokenUrl !== undefined ? brokenUrl : server.url, {
          timeoutMs: realMs(scenario.requestTimeout),
          client: lane.library.name,
          ...(signal ? { signal } : {}),
        }).catch((error: unknown) => {
          aborted = isRequestFailedError(error) && error.failure.kind === 'aborted';
          throw error;
        }),
      isFailure,
    );
    const { trial, error } = result;
    const outcome: Outcome = aborted ? 'interrupted' : result.outcome;
    const callEnd = now();
    const record: CallRecord = {
      call,
      ...(scenario.concurrency > 1 ? { caller } : {}),
      at: since(startedAt),
      server: setting,
      outcome,
      state: breaker.state,
      timeTillRetry: scenarioSeconds(watch.timeTillRetryMs(callEnd)),
      latency: scenarioSeconds(callEnd - callStart),
      trial,
      ...(error !== undefined ? { error } : {}),
    };
    lane.calls.push(record);
    return record;
  }

  const runs: LibraryRun[] = lanes.map((lane) => ({
    library: lane.library.name,
    version: lane.library.version,
    calls: lane.calls,
    summary: {
      reachedServer: server.requests.byClient[lane.library.name] ?? 0,
      rejected: lane.calls.filter((record) => record.outcome === 'rejected').length,
      trials: lane.calls.filter((record) => record.trial).length,
      opened: lane.watch.timesOpened,
      secondsOpen: scenarioSeconds(lane.watch.msNotClosed(start, end)),
    },
    states: stateSpans(lane.watch, start, end, scenarioSeconds),
  }));
  return { scenario, server: serverSpans, runs, duration: since(end), interrupted };
}

function stateSpans(
  watch: CircuitWatch,
  start: number,
  end: number,
  toSeconds: (ms: number) => number,
): StateSpan[] {
  const spans: StateSpan[] = [];
  let state: CircuitState = 'closed';
  let from = start;
  for (const transition of watch.transitions) {
    if (transition.to === state) continue;
    if (transition.at > from)
      spans.push({ state, from: toSeconds(from - start), to: toSeconds(transition.at - start) });
    state = transition.to;
    from = Math.max(transition.at, start);
  }
  spans.push({ state, from: toSeconds(from - start), to: toSeconds(end - start) });
  return spans;
}

/** A slow server's delay is scenario time too: at 10x, `slow=800` answers after 80 ms. */
function scaleMode(mode: ServerMode | undefined, speed: number): ServerMode | undefined {
  return mode?.kind === 'slow' ? { kind: 'slow', ms: mode.ms / speed } : mode;
}

/** The error filter for a scenario's ignored statuses: the same function every library gets. */
function failureFilter(
  ignoreStatuses: readonly number[],
): ((error: unknown) => boolean) | undefined {
  if (ignoreStatuses.length === 0) return undefined;
  return (error) =>
    !(
      isRequestFailedError(error) &&
      error.failure.kind === 'status' &&
      ignoreStatuses.includes(error.failure.status)
    );
}

/** `http://127.0.0.1:<port>/` on a port nothing listens on: it was free and is closed again. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  if (address === null || typeof address === 'string')
    throw new Error('no port for a broken route');
  return `http://127.0.0.1:${address.port}/`;
}

async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : {});
  } catch (error) {
    if (!signal?.aborted) throw error;
  }
}
