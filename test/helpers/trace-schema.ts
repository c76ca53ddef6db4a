import assert from 'node:assert/strict';

const STATES = ['closed', 'open', 'half-open'];
const OUTCOMES = ['success', 'failure', 'rejected', 'ignored', 'interrupted'];

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Checks a parsed `--json` document against the trace contract (issue 3), field by field. */
export function assertTraceShape(trace: unknown): void {
  assert.ok(trace && typeof trace === 'object', 'trace is an object');
  const { scenario, runs, server } = trace as Record<string, unknown>;
  assert.ok(scenario && typeof scenario === 'object', 'scenario is an object');
  const s = scenario as Record<string, unknown>;
  for (const key of ['failures', 'resetTimeout', 'delay', 'requestTimeout', 'speed']) {
    assert.ok(isNumber(s[key]), `scenario.${key} is a number`);
  }
  assert.ok(Array.isArray(s['schedule']), 'scenario.schedule is an array');
  for (const phase of s['schedule'] as unknown[]) {
    const p = phase as Record<string, unknown>;
    assert.equal(typeof p['server'], 'string');
    assert.ok(Number.isInteger(p['calls']));
  }
  assert.ok(Array.isArray(server), 'server spans are an array');
  assert.ok(Array.isArray(runs) && runs.length > 0, 'runs is a non-empty array');
  for (const run of runs as Record<string, unknown>[]) {
    assert.equal(typeof run['library'], 'string');
    assert.match(String(run['version']), /^\d+\.\d+\.\d+/);
    assert.ok(Array.isArray(run['calls']));
    for (const call of run['calls'] as Record<string, unknown>[]) {
      assert.ok(Number.isInteger(call['call']) && (call['call'] as number) >= 1);
      assert.ok(isNumber(call['at']) && call['at'] >= 0, 'at >= 0');
      assert.equal(typeof call['server'], 'string');
      assert.ok(OUTCOMES.includes(String(call['outcome'])), `outcome ${String(call['outcome'])}`);
      assert.ok(STATES.includes(String(call['state'])), `state ${String(call['state'])}`);
      assert.ok(isNumber(call['timeTillRetry']));
      assert.ok(isNumber(call['latency']) && call['latency'] >= 0);
      assert.equal(typeof call['trial'], 'boolean');
    }
    const summary = run['summary'] as Record<string, unknown>;
    for (const key of ['reachedServer', 'rejected', 'trials', 'opened']) {
      assert.ok(Number.isInteger(summary[key]) && (summary[key] as number) >= 0, `summary.${key}`);
    }
    assert.ok(isNumber(summary['secondsOpen']) && summary['secondsOpen'] >= 0);
  }
}
