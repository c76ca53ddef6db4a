import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from './helpers/redis-test.ts';
import { connectedCircuit, redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { startTestServer } from './helpers/test-server.ts';
import { BACKOFF_LATE_MS, FLEET_CLOCK_SLACK_MS } from './helpers/timing.ts';

const RESET_MS = 100;
const MAX_MS = 800;
/** The open period after the n-th failed trial in a row: 100, 200, 400, 800, 800 ... (factor 2). */
const SCHEDULE = [RESET_MS, 200, 400, 800, 800];
const CALL_EVERY_MS = 5;

test(
  "during a long outage the fleet's trials follow the backoff schedule (100, 200, 400, 800, 800 ms), one schedule for two circuits, and it starts over once the circuit closes",
  { timeout: 30_000 },
  async (t) => {
    const url = await redisUrl(t);
    const namespace = cleanedNamespace(t, url, 'backoff');
    const options = {
      name: 'down-long',
      namespace,
      redisUrl: url,
      failures: 3,
      resetTimeoutMs: RESET_MS,
      backoff: { factor: 2, maxMs: MAX_MS },
    };
    const circuits = [await connectedCircuit(t, options), await connectedCircuit(t, options)];
    const server = await startTestServer(t);
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    let target = `http://127.0.0.1:${port}/`; // nothing listens: the dependency is down
    const reached: number[] = [];
    let stop = false;
    const caller = async (index: number) => {
      while (!stop) {
        await circuits[index]!.execute(async () => {
          reached.push(performance.now());
          const response = await fetch(target, { signal: AbortSignal.timeout(1000) });
          if (!response.ok) throw new Error(`answered ${response.status}`);
        }).catch(() => {});
        await new Promise((resolve) => setTimeout(resolve, CALL_EVERY_MS));
      }
    };
    const callers = [caller(0), caller(1)];
    t.after(async () => {
      stop = true;
      await Promise.all(callers);
    });
    const outageMs = SCHEDULE.reduce((sum, ms) => sum + ms, 0) + 3 * BACKOFF_LATE_MS;
    await new Promise((resolve) => setTimeout(resolve, outageMs));
    const duringOutage = [...reached];
    // The failures that opened it (three, and a call in flight), then one trial per open period:
    // the gaps from the first that is as long as the reset timeout.
    const allGaps = duringOutage.slice(1).map((at, i) => at - duringOutage[i]!);
    const gaps = allGaps.slice(
      allGaps.findIndex((gap) => gap >= RESET_MS - FLEET_CLOCK_SLACK_MS / 5),
    );
    t.diagnostic(`all gaps: ${allGaps.map((gap) => gap.toFixed(0)).join(', ')} ms`);
    assert.ok(gaps.length >= SCHEDULE.length, `${gaps.length} trials in the outage`);
    SCHEDULE.forEach((period, i) => {
      const gap = gaps[i] ?? Number.NaN;
      assert.ok(
        gap >= period - FLEET_CLOCK_SLACK_MS / 5 && gap <= period + BACKOFF_LATE_MS,
        `trial ${i + 1}: ${gap.toFixed(0)} ms after the last, the schedule says ${period}`,
      );
    });

    // The dependency is back: a trial closes the circuit, and the next outage starts at the reset timeout.
    target = server.url;
    await new Promise((resolve) => setTimeout(resolve, MAX_MS + FLEET_CLOCK_SLACK_MS));
    assert.ok(
      circuits.every((circuit) => circuit.state === 'closed'),
      'closed once the dependency answered',
    );
    target = `http://127.0.0.1:${port}/`;
    const before = reached.length;
    await new Promise((resolve) => setTimeout(resolve, RESET_MS * 3));
    stop = true;
    await Promise.all(callers);
    const again = reached.slice(before);
    const firstTrialGap =
      again
        .slice(1)
        .map((at, k) => at - again[k]!)
        .find((gap) => gap >= RESET_MS - FLEET_CLOCK_SLACK_MS / 5) ?? Number.NaN;
    assert.ok(
      firstTrialGap <= RESET_MS + BACKOFF_LATE_MS,
      `after closing, the first trial came ${firstTrialGap.toFixed(0)} ms after opening: the schedule started over`,
    );
  },
);
