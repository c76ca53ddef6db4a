import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isInputError } from '../src/input-error.ts';
import { parseRedisTarget } from '../packages/shared-circuit/src/redis-target.ts';
import { resolveOptions } from '../packages/shared-circuit/src/shared-circuit-options.ts';

test('a cluster URL lists its nodes, a Sentinel URL its sentinels and master; both take credentials', () => {
  assert.deepEqual(parseRedisTarget('redis-cluster://:pw@10.0.0.1:7000,10.0.0.2'), {
    kind: 'cluster',
    nodes: [
      { host: '10.0.0.1', port: 7000 },
      { host: '10.0.0.2', port: 6379 },
    ],
    db: 0,
    tls: false,
    password: 'pw',
  });
  assert.deepEqual(parseRedisTarget('rediss-sentinel://app:pw@s1:26380,s2/orders?db=3'), {
    kind: 'sentinel',
    sentinels: [
      { host: 's1', port: 26380 },
      { host: 's2', port: 26379 },
    ],
    masterName: 'orders',
    db: 3,
    tls: true,
    username: 'app',
    password: 'pw',
  });
  assert.deepEqual(parseRedisTarget('redis://h:1/4'), {
    kind: 'server',
    url: 'redis://h:1/4',
    db: 4,
  });
});

test('a bad cluster or Sentinel URL is one message that shows it, without its password', () => {
  const bad = {
    'redis-sentinel://:pw@s1:26379': /must name the master/,
    'redis-cluster://:pw@n1:7000/2': /database 0 only/,
    'redis-cluster://:pw@n1:x,n2': /host:port separated by commas/,
    'redis-sentinel://s1/orders?db=-1': /db must be a whole number/,
  };
  for (const [redisUrl, message] of Object.entries(bad)) {
    assert.throws(
      () => resolveOptions({ name: 'n', failures: 1, resetTimeoutMs: 1, redisUrl }),
      (error: Error) =>
        isInputError(error) && message.test(error.message) && !/pw/.test(error.message),
      redisUrl,
    );
  }
});
