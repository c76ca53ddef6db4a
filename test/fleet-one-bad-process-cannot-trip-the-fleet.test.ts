import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { TestContext } from 'node:test';
import { test } from './helpers/redis-test.ts';
import { redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { runCallerFleet } from './helpers/caller-fleet.ts';
import { startTestServer } from './helpers/test-server.ts';

const FAILURES = 3;
const RESET_TIMEOUT_MS = 1000;
const DURATION_MS = 4000;
/** The broken process's bound: its threshold, one trial per reset timeout, plus one. */
const BROKEN_BOUND = FAILURES + Math.floor(DURATION_MS / RESET_TIMEOUT_MS) + 1;

/** A loopback port nothing listens on: a route to the dependency that is broken. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function fleetWithOneBrokenRoute(t: TestContext, minProcesses: number) {
  const server = await startTestServer(t);
  const broken = `http://127.0.0.1:${await closedPort()}/`;
  const url = await redisUrl(t);
  const targets = [broken, ...Array.from({ length: 5 }, () => server.url)];
  const reports = await runCallerFleet(
    t,
    targets,
    {
      name: 'dependency',
      namespace: cleanedNamespace(t, url, `min-processes-${minProcesses}`),
      redisUrl: url,
      failures: FAILURES,
      resetTimeoutMs: RESET_TIMEOUT_MS,
      minProcesses,
    },
    { intervalMs: 50, durationMs: DURATION_MS },
  );
  const [bad, ...healthy] = reports;
  assert.ok(bad);
  t.diagnostic(
    `minProcesses ${minProcesses}: broken process ${JSON.stringify(bad)}; healthy ${JSON.stringify(healthy.map((h) => [h.ok, h.calls]))}`,
  );
  return { bad, healthy };
}

test(
  '6 processes, minProcesses 2, one with a broken route: the five run their calls, the broken one is held to its own threshold plus one trial per reset timeout, the fleet never opens',
  { timeout: 60_000 },
  async (t) => {
    const { bad, healthy } = await fleetWithOneBrokenRoute(t, 2);
    for (const [index, one] of healthy.entries()) {
      assert.ok(
        one.ok / one.calls >= 0.99,
        `healthy process ${index + 2} ran ${one.ok} of ${one.calls} calls`,
      );
      assert.equal(one.fleetOpenedAfterMs, null, `healthy process ${index + 2} saw the fleet open`);
    }
    assert.ok(
      bad.reached <= BROKEN_BOUND,
      `the broken process sent ${bad.reached} calls into its broken route (bound ${BROKEN_BOUND})`,
    );
    assert.ok((bad.rejected['process'] ?? 0) > 0, 'its own circuit rejected its calls');
    assert.equal(bad.rejected['fleet'] ?? 0, 0, 'never the fleet');
    assert.equal(bad.fleetOpenedAfterMs, null);
  },
);

test(
  'the same fleet with minProcesses 1 (the default): the healthy successes keep resetting the count, so the broken process sends far more into its route, or trips the whole fleet',
  { timeout: 60_000 },
  async (t) => {
    const { bad, healthy } = await fleetWithOneBrokenRoute(t, 1);
    const trippedTheFleet = healthy.some((one) => one.fleetOpenedAfterMs !== null);
    assert.ok(
      bad.reached > BROKEN_BOUND || trippedTheFleet,
      `broken: ${bad.reached} calls reached its route; fleet opened: ${trippedTheFleet}`,
    );
    assert.equal(bad.rejected['process'] ?? 0, 0, 'no process level with minProcesses 1');
  },
);
