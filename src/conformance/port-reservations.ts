import { createServer } from 'node:net';

/**
 * Ports of the runs in progress. A run's server is off for whole phases with its port closed; a
 * run starting then could be given that port and answer the other run's calls. Each run here takes
 * a port no other run of this process holds, and keeps it until it ends.
 */
export class PortReservations {
  readonly #held = new Set<number>();

  constructor(readonly host: string) {}

  /** A free port that no run of this process holds; held until `release`. */
  async take(): Promise<number> {
    for (;;) {
      const port = await freePort(this.host);
      if (!this.#held.has(port)) {
        this.#held.add(port);
        return port;
      }
    }
  }

  release(port: number): void {
    this.#held.delete(port);
  }
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error(`no port from ${host}`));
      });
    });
  });
}
