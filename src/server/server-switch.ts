import {
  emptyCounts,
  serverUrl,
  startMockServer,
  type MockServer,
  type RequestCounts,
} from './mock-server.ts';
import { RandomSources, type ServerMode } from './server-mode.ts';

export interface ServerSwitchOptions {
  /** Default `localhost`. */
  host?: string;
  /** Default 0: a free port, chosen once and kept across off and on. */
  port?: number;
  /** Seed-style access log. Default: none. */
  log?: (line: string) => void;
}

/**
 * The seed's inline on/off switch: one port, a server that comes and goes on it, and request
 * counts that add up across restarts.
 */
export class ServerSwitch implements AsyncDisposable {
  readonly requests: RequestCounts = emptyCounts();
  /** flaky's random sequences go on across an outage instead of starting over. */
  readonly #random = new RandomSources(1);
  #server: MockServer | undefined;

  private constructor(
    readonly host: string,
    readonly port: number,
    private readonly log: ((line: string) => void) | undefined,
  ) {}

  /** Reserves a port by starting once (port 0 picks one), then leaves the server off. */
  static async create(options: ServerSwitchOptions = {}): Promise<ServerSwitch> {
    const probe = await startMockServer({
      host: options.host ?? 'localhost',
      port: options.port ?? 0,
    });
    await probe.stop();
    return new ServerSwitch(probe.host, probe.port, options.log);
  }

  get url(): string {
    return serverUrl(this.host, this.port);
  }

  /** Starts the server if it is off, and puts it in `mode` (default `up`). */
  async turnOn(mode: ServerMode = { kind: 'up' }): Promise<void> {
    if (this.#server) {
      this.#server.mode = mode;
      return;
    }
    this.#server = await startMockServer({
      host: this.host,
      port: this.port,
      mode,
      requests: this.requests,
      random: this.#random,
      ...(this.log ? { log: this.log } : {}),
    });
  }

  async turnOff(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    await server?.stop();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.turnOff();
  }
}
