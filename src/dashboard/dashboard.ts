import { randomUUID } from 'node:crypto';
import type { BreakerLibrary } from '../breakers/breaker.ts';
import { fleetLibrary } from '../breakers/shared-circuit.ts';
import { isModeError, parseMode, formatMode } from '../server/server-mode.ts';
import { ServerSwitch } from '../server/server-switch.ts';
import { Caller } from './caller.ts';
import { DASHBOARD_LIBRARIES } from './dashboard-libraries.ts';
import type { DashboardEvent, ServerLabel } from './dashboard-event.ts';
import { BadRequestError, startDashboardServer } from './dashboard-server.ts';
import { dashboardPage } from './dashboard-page.ts';
import { EventStream } from './event-stream.ts';
import { forgetNamespace } from '../fleet-demo/namespace-keys.ts';
import {
  changeSettings,
  DEFAULT_SETTINGS,
  isSettingsError,
  type DashboardSettings,
} from './settings.ts';

export interface DashboardOptions {
  /**
   * The libraries to call, one caller each, in display order. Default DASHBOARD_LIBRARIES: opossum
   * (on the settings' window), cockatiel, mollitia.
   */
  libraries?: readonly BreakerLibrary[];
  /**
   * Also call through the circuit shared in Redis at this URL (the `fleet` library), one fresh
   * circuit per settings. Default: no fleet caller. Its lines about Redis going away go to the page.
   */
  redisUrl?: string;
  /**
   * The shared circuit's Redis namespace, the run's own: its keys are deleted when the dashboard
   * stops. Default a fresh `dashboard-<8 hex digits>`.
   */
  namespace?: string;
  /** Where the fleet's lines also go. Default `console.error`. */
  log?: (line: string) => void;
  /** The page's port; 0 picks a free one. Default 0. */
  port?: number;
  /** Starting settings. Default DEFAULT_SETTINGS. */
  settings?: Partial<DashboardSettings>;
  /** Milliseconds, monotonic. Default `performance.now`. */
  now?: () => number;
}

export interface Dashboard extends AsyncDisposable {
  /** The page: `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** The mock server the callers call. */
  readonly serverUrl: string;
  /** Every event so far goes to pages; this hook sees them too (for a log, or a test). */
  onEvent(listener: (event: DashboardEvent) => void): void;
  /**
   * Stops the callers, the mock server and the page's streams and port, and deletes the shared
   * circuit's keys from Redis. Idempotent.
   */
  stop(): Promise<void>;
}

/** Both the page and the mock server bind loopback only: the page's buttons change the server. */
const HOST = '127.0.0.1';

/**
 * Starts the mock server (on), a caller per library calling it in a loop, and the page's web
 * server, which streams every call and transition and takes the buttons' orders.
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const clock = options.now ?? (() => performance.now());
  const origin = clock();
  const now = () => clock() - origin;
  let settings = changeSettings(DEFAULT_SETTINGS, { ...options.settings });
  const server = await ServerSwitch.create({ host: HOST });
  await server.turnOn();
  let serverLabel: ServerLabel = 'on';
  const listeners: ((event: DashboardEvent) => void)[] = [];
  const abort = new AbortController();
  const log = options.log ?? ((line: string) => console.error(line));
  const libraries = [...(options.libraries ?? DASHBOARD_LIBRARIES)];
  const { redisUrl } = options;
  const namespace = options.namespace ?? `dashboard-${randomUUID().slice(0, 8)}`;
  if (redisUrl !== undefined) {
    libraries.push(
      fleetLibrary({
        redisUrl,
        namespace,
        log: (text) => {
          log(text);
          emit({ type: 'note', at: now(), library: 'fleet', text });
        },
      }),
    );
  }

  const callers: Caller[] = [];
  const stream = new EventStream(() => ({
    type: 'hello',
    at: now(),
    serverUrl: server.url,
    server: serverLabel,
    settings,
    lanes: libraries.map((library, i) => ({
      library: library.name,
      version: library.version,
      state: callers[i]?.state ?? 'closed',
    })),
  }));
  const emit = (event: DashboardEvent) => {
    stream.publish(event);
    for (const listener of listeners) listener(event);
  };
  for (const library of libraries) {
    callers.push(
      new Caller({
        library,
        serverUrl: server.url,
        settings: () => settings,
        emit,
        now,
        signal: abort.signal,
      }),
    );
  }

  // One server change at a time: an "off" and an "on" clicked quickly must not interleave.
  let serverQueue: Promise<unknown> = Promise.resolve();
  const actions = {
    server: (text: string) => {
      const label = text.trim();
      let mode: ReturnType<typeof parseMode> | undefined;
      if (label !== 'off') {
        try {
          mode = parseMode(label);
        } catch (error) {
          if (isModeError(error)) throw new BadRequestError(`${error.message}, or off`);
          throw error;
        }
      }
      const change = serverQueue.then(async () => {
        if (abort.signal.aborted) throw new BadRequestError('the dashboard is stopping');
        if (mode === undefined) await server.turnOff();
        else await server.turnOn(mode);
        serverLabel = mode === undefined ? 'off' : mode.kind === 'up' ? 'on' : formatMode(mode);
        emit({ type: 'server', at: now(), server: serverLabel });
        return { server: serverLabel };
      });
      serverQueue = change.catch(() => {});
      return change;
    },
    settings: async (changes: Record<string, unknown>) => {
      try {
        settings = changeSettings(settings, changes);
      } catch (error) {
        if (isSettingsError(error)) throw new BadRequestError(error.message);
        throw error;
      }
      for (const caller of callers) caller.restart();
      emit({ type: 'settings', at: now(), settings });
      return { settings };
    },
  };

  let web;
  try {
    web = await startDashboardServer({
      host: HOST,
      port: options.port ?? 0,
      page: dashboardPage(),
      stream,
      actions,
    });
  } catch (error) {
    stream.close();
    await server.turnOff();
    throw error;
  }
  const loops = callers.map((caller) => caller.run());

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      abort.abort();
      // Closing the server ends the calls in flight (a hanging one too) at once.
      await serverQueue;
      await server.turnOff();
      await Promise.all(loops);
      // Every caller has disposed its breaker: nothing writes to the namespace any more.
      if (redisUrl !== undefined) await forgetNamespace(redisUrl, namespace);
      await web.stop();
    })());
  return {
    url: web.url,
    serverUrl: server.url,
    onEvent: (listener) => listeners.push(listener),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
