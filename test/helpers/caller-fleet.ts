import { spawn } from 'node:child_process';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SharedCircuitOptions } from 'shared-circuit';
import { cleanUp } from './redis.ts';
import { ROOT } from './run-command.ts';
import { FLEET_DEADLINE_MS, waitUntil } from './timing.ts';

/** What one caller process (fleet-caller-process.ts) did. */
export interface CallerReport {
  calls: number;
  reached: number;
  ok: number;
  failed: number;
  rejected: Record<string, number>;
  fleetOpenedAfterMs: number | null;
}

/**
 * One process per target URL, each with a SharedCircuit of `options` and its own processId,
 * calling its target every `intervalMs` for `durationMs`, all started at once once every one is
 * connected to Redis; returns their reports in order. Killed when the test ends.
 */
export async function runCallerFleet(
  t: TestContext,
  targets: readonly string[],
  options: SharedCircuitOptions,
  { intervalMs, durationMs }: { intervalMs: number; durationMs: number },
): Promise<CallerReport[]> {
  const children = targets.map((target, index) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/helpers/fleet-caller-process.ts'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          CIRCUIT_OPTIONS: JSON.stringify({ ...options, processId: `caller-${index + 1}` }),
          TARGET_URL: target,
          INTERVAL_MS: String(intervalMs),
        },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    cleanUp(t, () => child.kill('SIGKILL'));
    const lines: Record<string, unknown>[] = [];
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const part of parts) lines.push(JSON.parse(part) as Record<string, unknown>);
    });
    return { child, lines };
  });
  await waitUntil(
    'every caller reached Redis',
    () => children.every(({ lines }) => lines.some((line) => line['ready'] === 'shared')),
    FLEET_DEADLINE_MS * 4,
  );
  for (const { child } of children) child.stdin.write('start\n');
  await sleep(durationMs);
  for (const { child } of children) child.stdin.write('stop\n');
  await waitUntil(
    'every caller reported',
    () => children.every(({ lines }) => lines.some((line) => 'calls' in line)),
    FLEET_DEADLINE_MS,
  );
  return children.map(
    ({ lines }) => lines.find((line) => 'calls' in line) as unknown as CallerReport,
  );
}
