/**
 * One process of a fleet test: a SharedCircuit from CIRCUIT_OPTIONS (JSON) that calls TARGET_URL
 * every INTERVAL_MS once told `start` on stdin, until `stop`; then prints one JSON line with what
 * it did: calls made, actions that reached the target, outcomes, rejections by level, and when (ms
 * after the start) its fleet circuit was first seen open.
 */
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { isCircuitOpenError, SharedCircuit, type SharedCircuitOptions } from 'shared-circuit';

const options = JSON.parse(process.env['CIRCUIT_OPTIONS'] ?? '{}') as SharedCircuitOptions;
const target = process.env['TARGET_URL'] ?? '';
const intervalMs = Number(process.env['INTERVAL_MS'] ?? '50');
const circuit = new SharedCircuit({ ...options, log: () => {} });
const report = {
  calls: 0,
  reached: 0,
  ok: 0,
  failed: 0,
  rejected: {} as Record<string, number>,
  fleetOpenedAfterMs: null as number | null,
};
let started = 0;
circuit.onStateChange((state) => {
  if (state === 'open' && started > 0) report.fleetOpenedAfterMs ??= performance.now() - started;
});

let running = false;
async function loop(): Promise<void> {
  started = performance.now();
  let next = started;
  while (running) {
    report.calls += 1;
    try {
      await circuit.execute(async () => {
        report.reached += 1;
        const response = await fetch(target, { signal: AbortSignal.timeout(1000) });
        await response.text();
        if (!response.ok) throw new Error(`answered ${response.status}`);
      });
      report.ok += 1;
    } catch (error) {
      if (isCircuitOpenError(error))
        report.rejected[error.level] = (report.rejected[error.level] ?? 0) + 1;
      else report.failed += 1;
    }
    next += intervalMs;
    await sleep(Math.max(0, next - performance.now()));
  }
}

process.stdout.write(`${JSON.stringify({ ready: await circuit.ready() })}\n`);
let done: Promise<void> = Promise.resolve();
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'start') {
    running = true;
    done = loop();
  } else if (line === 'stop') {
    running = false;
    await done;
    process.stdout.write(`${JSON.stringify(report)}\n`);
    break;
  }
}
await circuit.dispose();
