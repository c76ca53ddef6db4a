import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScript } from './helpers/run-command.ts';

const ROUND = /^ {2}round (\d)\s+a (\S+)\s+circuit (\S+)\s+b (\S+)\s+circuit (\S+)$/;

test('each host has its own circuit, and an idle one is shut down and forgotten', async () => {
  const result = await runScript('examples/recipes/per-host.ts', []);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  const hostA = /^host a (\S+) answers 503, host b (\S+) answers 200$/.exec(lines[0] ?? '')?.[1];
  assert.ok(hostA, lines[0]);

  const rounds = lines
    .map((line) => ROUND.exec(line))
    .filter((match) => match !== null)
    .map(([, , a, circuitA, b, circuitB]) => [a, circuitA, b, circuitB]);
  // a's circuit opens after 3 failures and rejects; b's stays closed and every call succeeds.
  assert.deepEqual(rounds, [
    ['failed', 'closed', 'ok', 'closed'],
    ['failed', 'closed', 'ok', 'closed'],
    ['failed', 'open', 'ok', 'closed'],
    ['rejected', 'open', 'ok', 'closed'],
    ['rejected', 'open', 'ok', 'closed'],
  ]);

  // a, not called for the idle time, is disposed; b, still in use, is kept.
  const disposed = lines.filter((line) => line.includes('breaker shut down'));
  assert.equal(disposed.length, 1, result.stdout);
  assert.match(disposed[0] ?? '', new RegExp(`^  ${hostA}: idle for \\d+ ms, breaker shut down$`));
  assert.ok(lines.includes('  circuits held: b'), result.stdout);
  // Forgotten means a fresh, closed circuit: the next call to a reaches its server again.
  assert.ok(
    lines.includes('  a is called again: failed, reached server yes, its new circuit closed'),
    result.stdout,
  );
});
