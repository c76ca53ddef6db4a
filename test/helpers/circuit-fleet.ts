import { spawn, type ChildProcess } from 'node:child_process';
import type { TestContext } from 'node:test';
import type { SharedCircuitOptions } from 'shared-circuit';
import { cleanUp } from './redis.ts';
import { ROOT } from './run-command.ts';
import { FLEET_DEADLINE_MS, waitUntil } from './timing.ts';

/** What one process of the fleet (circuit-process.ts) reported. */
export interface CircuitProcess {
  readonly lines: readonly Record<string, string>[];
  /** How many of its reports have `call` = `outcome` (`started`, `ok`, `rejected`, `failed`). */
  count(outcome: string): number;
  /** Its circuit's state as it last reported it (`closed` until a change). */
  state(): string;
  send(command: string): void;
}

/**
 * `size` processes, each with its own SharedCircuit of `options`, connected to Redis before this
 * returns; killed when the test ends. `serverUrl` is what their calls fetch.
 */
export async function circuitFleet(
  t: TestContext,
  size: number,
  options: SharedCircuitOptions,
  serverUrl: string,
): Promise<CircuitProcess[]> {
  const processes = Array.from({ length: size }, () => startProcess(t, options, serverUrl));
  await waitUntil(
    'every process reached Redis',
    () => processes.every((one) => one.lines.some((line) => line['ready'] === 'shared')),
    FLEET_DEADLINE_MS * 4, // tsx starting several processes at once on a busy machine
  );
  return processes;
}

function startProcess(
  t: TestContext,
  options: SharedCircuitOptions,
  serverUrl: string,
): CircuitProcess {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/helpers/circuit-process.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, CIRCUIT_OPTIONS: JSON.stringify(options), SERVER_URL: serverUrl },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  cleanUp(t, () => child.kill('SIGKILL'));
  const lines: Record<string, string>[] = [];
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const part of parts) lines.push(JSON.parse(part) as Record<string, string>);
  });
  return {
    lines,
    count: (outcome) => lines.filter((line) => line['call'] === outcome).length,
    state: () => lines.findLast((line) => line['state'] !== undefined)?.['state'] ?? 'closed',
    send: (command) => child.stdin?.write(`${command}\n`),
  };
}
