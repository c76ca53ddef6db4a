import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers/run-command.ts';
import { INTERRUPT_DEADLINE_MS } from './helpers/timing.ts';

// Two calls answered, then a server that never answers: Ctrl-C lands while a call is in flight,
// with a request timeout (10 s real) far longer than the lab may take to stop.
const HANGING = [
  '--speed',
  '5',
  '--port',
  '0',
  '--schedule',
  'on:2,hang:20',
  '--request-timeout',
  '50',
];
const ITERATIONS = 10;

interface Interrupted {
  /** How npm ended: 130, or killed by SIGINT (npm re-raises it); a shell shows both as 130. */
  ended: number | NodeJS.Signals | null;
  stdout: string;
  msToExit: number;
}

/**
 * `npm start -s -- <args>` as the docs run it, in a process group of its own; once the second
 * call's row is out, Ctrl-C as a terminal sends it: SIGINT to every process of the group (npm, the
 * shell and the lab all get it, and npm relays it once more).
 */
async function interruptThroughNpm(args: readonly string[]): Promise<Interrupted> {
  const child = spawn('npm', ['start', '-s', '--', ...args], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let sentAt: number | undefined;
  const killer = setTimeout(() => process.kill(-(child.pid ?? 0), 'SIGKILL'), 60_000);
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (sentAt === undefined && /\n\s+2\s+\d/.test(stdout)) {
      sentAt = performance.now();
      // Let the third call get under way: it is the one in flight when the signal comes.
      setTimeout(() => {
        sentAt = performance.now();
        process.kill(-(child.pid ?? 0), 'SIGINT');
      }, 150);
    }
  });
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(killer);
  assert.ok(sentAt !== undefined, `the run got under way: ${stdout}${stderr}`);
  assert.equal(stderr, '', 'nothing on stderr: no stack trace');
  return { ended: code ?? signal, stdout, msToExit: performance.now() - sentAt };
}

test(
  `Ctrl-C through npm start, ${ITERATIONS} times in a row: the call in flight is cut short, the summary and report are written, exit 130`,
  { timeout: 240_000 },
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'ctrl-c-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    for (let i = 1; i <= ITERATIONS; i += 1) {
      const report = join(dir, `run-${i}.html`);
      const { ended, stdout, msToExit } = await interruptThroughNpm([
        ...HANGING,
        '--report',
        report,
      ]);
      const where = `run ${i}`;
      assert.ok(ended === 130 || ended === 'SIGINT', `${where}: ended ${String(ended)}`);
      assert.ok(
        msToExit < INTERRUPT_DEADLINE_MS,
        `${where}: exited ${Math.round(msToExit)} ms after Ctrl-C`,
      );
      assert.match(stdout, /Interrupted: the summary covers the calls made so far\./, where);
      assert.match(stdout, /\nlibrary\s+version\s+reached server/, `${where}: summary printed`);
      assert.match(stdout, /\nmollitia\s+\d+\.\d+\.\d+\s+\d+/, `${where}: summary complete`);
      assert.ok(stdout.includes(`Timeline report written to ${report}`), where);
      assert.match(await readFile(report, 'utf8'), /interrupted at/, `${where}: report written`);
    }
  },
);
