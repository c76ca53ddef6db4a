import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import type { Trace } from '../src/scenario/trace.ts';
import { ROOT } from './helpers/run-command.ts';
import { assertTraceShape } from './helpers/trace-schema.ts';
import { SPEED } from './helpers/timing.ts';

test("docs/lab.md's `npm start -s -- --json > trace.json` writes nothing but the JSON trace", async () => {
  // As docs/lab.md shows it, through npm: without -s, npm's banner lines would come first.
  const child = spawn(
    'npm',
    [
      'start',
      '-s',
      '--',
      '--json',
      '--speed',
      String(SPEED),
      '--port',
      '0',
      '--schedule',
      'off:4,on:2',
    ],
    { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  const trace = JSON.parse(stdout) as Trace;
  assertTraceShape(trace);
  assert.equal(trace.runs.length, 3);
});
