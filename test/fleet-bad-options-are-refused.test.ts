import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isSharedCircuitOptionsError,
  SharedCircuit,
  SharedCircuits,
  type SharedCircuitOptions,
} from 'shared-circuit';

const GOOD: SharedCircuitOptions = { name: 'quotes', failures: 3, resetTimeoutMs: 1000 };

/** Options as a caller without types (plain JavaScript, JSON config) may pass them. */
function untyped(options: Record<string, unknown>): SharedCircuitOptions {
  return { ...GOOD, ...options } as SharedCircuitOptions;
}

/** Refused by SharedCircuit and, but for the name (a key there), by SharedCircuits' constructor. */
function refused(options: SharedCircuitOptions, message: string): void {
  const { name, ...common } = options;
  const makers: (() => { dispose(): Promise<void> })[] = [() => new SharedCircuit(options)];
  if (name === GOOD.name) makers.push(() => new SharedCircuits(common));
  for (const make of makers) {
    assert.throws(
      () => void make().dispose(),
      (error) => {
        assert.ok(isSharedCircuitOptionsError(error), String(error));
        assert.equal(error.message, message);
        return true;
      },
    );
  }
}

test('a timeout Node cannot keep (2^31 ms or more) is refused before anything connects', () => {
  for (const option of ['redisTimeoutMs', 'connectTimeoutMs', 'trialLeaseMs', 'resetTimeoutMs']) {
    refused(
      untyped({ [option]: 2 ** 31 }),
      `${option} must be a number of milliseconds > 0 and <= 2147483647, got 2147483648`,
    );
  }
});

test('a name, namespace or key longer than 255 characters is refused, showing its start', () => {
  const long = 'x'.repeat(256);
  assert.throws(
    () => new SharedCircuits({ failures: 1, resetTimeoutMs: 1000 }).get(long),
    /^SharedCircuitOptionsError: key must be at most 255 characters, got one of 256: "x{40}..."$/,
  );
  refused(
    untyped({ name: long }),
    `name must be at most 255 characters, got one of 256: "${'x'.repeat(40)}..."`,
  );
  refused(
    untyped({ namespace: long }),
    `namespace must be at most 255 characters, got one of 256: "${'x'.repeat(40)}..."`,
  );
});

test('isFailure, log and now that are not functions are refused', () => {
  refused(untyped({ isFailure: true }), 'isFailure must be a function, got true');
  refused(untyped({ log: 'console' }), 'log must be a function, got "console"');
  refused(untyped({ now: 0 }), 'now must be a function, got 0');
});

test('a string where a number belongs is shown as a string', () => {
  refused(untyped({ failures: '3' }), 'failures must be a whole number >= 1, got "3"');
  refused(untyped({ halfOpenTrials: '2' }), 'halfOpenTrials must be a whole number >= 1, got "2"');
  refused(
    untyped({ redisTimeoutMs: '500' }),
    'redisTimeoutMs must be a number of milliseconds > 0 and <= 2147483647, got "500"',
  );
  refused(
    untyped({ name: 5 }),
    'name must be letters, digits, "_", "-", ".", ":", "[" or "]", got 5',
  );
});
