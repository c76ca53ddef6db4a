import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { matrixOfHang } from './helpers/matrix-of-hang.ts';

test('without a Redis, the matrix says in one line that the fleet column was skipped and why', async (t) => {
  // A loopback port that was free a moment ago: nothing answers there.
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  const { stderr, doc } = await matrixOfHang(t, { REDIS_URL: `redis://127.0.0.1:${port}` });
  const line = `fleet: skipped, no Redis answered at redis://127.0.0.1:${port}`;
  const skipped = stderr.split('\n').filter((text) => text.startsWith('fleet: skipped'));
  assert.equal(skipped.length, 1, stderr);
  assert.ok(skipped[0]?.startsWith(line), skipped[0]);
  assert.match(
    skipped[0] ?? '',
    /ECONNREFUSED.*; set REDIS_URL to a running Redis to add the shared circuit's column$/,
  );
  assert.ok(doc.includes(line), 'the page says so too');
  assert.match(doc, /^\| Scenario \| opossum [^|]+ \| cockatiel [^|]+ \| mollitia [^|]+ \|$/m);
});
