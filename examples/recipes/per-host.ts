/**
 * Recipe: one circuit per host, so one dead dependency does not cut off the healthy ones.
 * A map of opossum breakers keyed by host, each created on first use and shut down (its timers
 * and listeners released) once it has gone unused for IDLE_AFTER ms.
 *
 *   npm run example:per-host
 */
import { setTimeout as sleep } from 'node:timers/promises';
import CircuitBreaker from 'opossum';
import { recipeTakesNoOptions, ServerSwitch } from '../../src/server/index.ts';

const IDLE_AFTER = 500; // ms without a call before a host's breaker is disposed

recipeTakesNoOptions('per-host');

/** GET the greeting; a refused connection, a timeout or a non-2xx answer is a failure. */
async function fetchGreeting(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${body}`);
  return body;
}

/** Breakers keyed by host; a breaker unused for `idleAfter` ms is shut down and forgotten. */
class BreakerPerHost {
  readonly #breakers = new Map<
    string,
    { breaker: CircuitBreaker<[string], string>; idle: NodeJS.Timeout }
  >();
  constructor(
    private readonly options: CircuitBreaker.Options,
    private readonly idleAfter: number,
  ) {}

  fire(url: string): Promise<string> {
    const host = new URL(url).host;
    let entry = this.#breakers.get(host);
    if (entry === undefined) {
      const breaker = new CircuitBreaker(fetchGreeting, { ...this.options, name: host });
      const idle = setTimeout(() => {
        breaker.shutdown();
        this.#breakers.delete(host);
        console.log(`  ${host}: idle for ${this.idleAfter} ms, breaker shut down`);
      }, this.idleAfter).unref(); // an idle timer never keeps the process alive
      entry = { breaker, idle };
      this.#breakers.set(host, entry);
    }
    entry.idle.refresh(); // restarts the idle countdown
    return entry.breaker.fire(url);
  }

  state(url: string): string {
    const breaker = this.#breakers.get(new URL(url).host)?.breaker;
    if (breaker === undefined) return 'none';
    return breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed';
  }

  get hosts(): string[] {
    return [...this.#breakers.keys()];
  }

  dispose(): void {
    for (const { breaker, idle } of this.#breakers.values()) {
      clearTimeout(idle);
      breaker.shutdown();
    }
    this.#breakers.clear();
  }
}

const breakers = new BreakerPerHost(
  { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeout: 10_000, timeout: false },
  IDLE_AFTER,
);
const call = (url: string) =>
  breakers.fire(url).then(
    () => 'ok',
    (error: Error & { code?: string }) => (error.code === 'EOPENBREAKER' ? 'rejected' : 'failed'),
  );

await using down = await ServerSwitch.create(); // one host answers 503
await using up = await ServerSwitch.create(); // another answers 200
await down.turnOn({ kind: 'error', status: 503 });
await up.turnOn();
const [a, b] = [down.url, up.url];
console.log(`host a ${new URL(a).host} answers 503, host b ${new URL(b).host} answers 200`);
for (let round = 1; round <= 5; round += 1) {
  const [onA, onB] = [await call(a), await call(b)];
  console.log(
    `  round ${round}  a ${onA.padEnd(8)} circuit ${breakers.state(a).padEnd(6)}  b ${onB.padEnd(8)} circuit ${breakers.state(b)}`,
  );
}
console.log(`only b is called from now on, every 50 ms for ${IDLE_AFTER * 2} ms:`);
for (let elapsed = 0; elapsed < IDLE_AFTER * 2; elapsed += 50) {
  await call(b);
  await sleep(50);
}
console.log(
  `  circuits held: ${breakers.hosts.map((host) => (host === new URL(a).host ? 'a' : 'b')).join(', ')}`,
);
const seen = down.requests.total;
console.log(
  `  a is called again: ${await call(a)}, reached server ${down.requests.total > seen ? 'yes' : 'no'}, its new circuit ${breakers.state(a)}`,
);
breakers.dispose();
