import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as metrics from '../src/metrics-entry.ts';
import * as surface from '../src/index.ts';

test('the package exports exactly its documented list of values', () => {
  assert.deepEqual(Object.keys(surface).sort(), [
    'CircuitControl',
    'CircuitDisposedError',
    'CircuitIsolatedError',
    'CircuitOpenError',
    'MemoryStore',
    'RedisUnreachableError',
    'RedisUrlError',
    'SharedCircuit',
    'SharedCircuitOptionsError',
    'SharedCircuits',
    'UnknownCircuitError',
    'isCircuitDisposedError',
    'isCircuitIsolatedError',
    'isCircuitOpenError',
    'isRedisUnreachableError',
    'isRedisUrlError',
    'isSharedCircuitOptionsError',
    'isUnknownCircuitError',
    'redactRedisUrl',
  ]);
  assert.deepEqual(Object.keys(metrics), ['CircuitMetrics']);
});

test('the error guards recognise an error from another copy of the package by its brand, not instanceof', () => {
  // What a second copy's CircuitIsolatedError looks like to this copy: another class, same brands.
  class OtherCopyIsolated extends Error {
    readonly isSharedCircuitOpenError = true;
    readonly isSharedCircuitIsolatedError = true;
  }
  const foreign = new OtherCopyIsolated('circuit "x" is isolated');
  assert.equal(foreign instanceof surface.CircuitOpenError, false);
  assert.equal(surface.isCircuitOpenError(foreign), true);
  assert.equal(surface.isCircuitIsolatedError(foreign), true);
  assert.equal(surface.isCircuitDisposedError(foreign), false);
  assert.equal(surface.isCircuitOpenError(new Error('circuit is open')), false);
  assert.equal(surface.isCircuitOpenError(null), false);
});

test('an isolated rejection is an open rejection too, so one catch handles both', () => {
  const error = new surface.CircuitIsolatedError('payments');
  assert.equal(surface.isCircuitOpenError(error), true);
  assert.equal(error.name, 'CircuitIsolatedError');
  assert.equal(error.level, 'fleet');
  assert.equal(error.retryInMs, undefined);
});
