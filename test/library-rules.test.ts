import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BreakerSettings } from '../src/breakers/breaker.ts';
import { opossumOptions } from '../src/breakers/opossum.ts';
import { LIBRARIES } from '../src/libraries/registry.ts';
import { fleetLibrary } from '../src/breakers/shared-circuit.ts';

const SETTINGS: BreakerSettings = { failures: 3, resetTimeoutMs: 6000, rollingWindowMs: 10_000 };

test("opossum's rule is read from the options its adapter gives it", () => {
  const rule = LIBRARIES.opossum.rule?.(SETTINGS) ?? '';
  const options = opossumOptions(SETTINGS);
  assert.match(rule, /^opens on a failure rate: /);
  assert.ok(rule.includes(`more than ${options.errorThresholdPercentage ?? 50}%`), rule);
  assert.ok(rule.includes(`last ${(options.rollingCountTimeout ?? 10_000) / 1000} s`), rule);
  if (options.volumeThreshold)
    assert.ok(rule.includes(`once ${options.volumeThreshold} calls`), rule);
});

test('cockatiel, mollitia and the fleet circuit open after N consecutive failures: no rule of their own', () => {
  assert.equal(LIBRARIES.cockatiel.rule, undefined);
  assert.equal(LIBRARIES.mollitia.rule, undefined);
  assert.equal(fleetLibrary({ redisUrl: 'redis://127.0.0.1:6379' }).rule?.(SETTINGS), undefined);
});

test('with a failure rate asked for, opossum takes it as its own options and the fleet states both rules', () => {
  const rate = { ...SETTINGS, failureRate: { ratio: 0.4, minimumThroughput: 6, windowMs: 6000 } };
  const options = opossumOptions(rate);
  assert.equal(options.errorThresholdPercentage, 40);
  assert.equal(options.volumeThreshold, 6);
  assert.equal(options.rollingCountTimeout, 6000);
  assert.match(
    LIBRARIES.opossum.rule?.(rate) ?? '',
    /more than 40% of the calls in its last 6 s failed, once 6 calls/,
  );
  assert.match(
    fleetLibrary({ redisUrl: 'redis://127.0.0.1:6379' }).rule?.(rate) ?? '',
    /^opens on 3 consecutive failures or when at least 40% of the calls in its last 6 s failed, once 6 calls are in that window, counted by every process/,
  );
});
