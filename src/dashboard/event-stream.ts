import type { ServerResponse } from 'node:http';
import type { DashboardEvent } from './dashboard-event.ts';

/** How many recent events a page that connects late is sent after its `hello`. */
const HISTORY = 2000;

/** A comment line now and then keeps idle streams open through proxies and tells a dead client apart. */
const KEEP_ALIVE_MS = 15_000;

/**
 * Server-sent events to every open page: each gets a `hello` (where things stand), the recent
 * events, then every new event as it happens.
 */
export class EventStream {
  readonly #clients = new Set<ServerResponse>();
  readonly #history: DashboardEvent[] = [];
  readonly #hello: () => DashboardEvent;
  readonly #keepAlive: NodeJS.Timeout;
  #closed = false;

  constructor(hello: () => DashboardEvent) {
    this.#hello = hello;
    this.#keepAlive = setInterval(() => {
      for (const client of this.#clients) client.write(': keep-alive\n\n');
    }, KEEP_ALIVE_MS);
    this.#keepAlive.unref();
  }

  get clients(): number {
    return this.#clients.size;
  }

  attach(response: ServerResponse): void {
    if (this.#closed) {
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('the dashboard is stopping\n');
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    // A page that reconnects after the dashboard restarted starts over from this hello.
    response.write(frame(this.#hello()));
    for (const event of this.#history) response.write(frame(event));
    this.#clients.add(response);
    response.once('close', () => this.#clients.delete(response));
  }

  publish(event: DashboardEvent): void {
    this.#history.push(event);
    if (this.#history.length > HISTORY) this.#history.splice(0, this.#history.length - HISTORY);
    const text = frame(event);
    for (const client of this.#clients) client.write(text);
  }

  /** Ends every stream; a page's EventSource then tries to reconnect and finds the port closed. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#keepAlive);
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }
}

function frame(event: DashboardEvent): string {
  return `data: ${JSON.stringify(event)}\n\n`;
}
