import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScript } from './helpers/run-command.ts';

const ROW =
  /^ {2}call (\d)\s+circuit (\S+)\s+reached server (yes|no)\s+answer "([^"]+)"\s+-> (\S+)$/;

test('the fallback answers every call while the circuit is open, and the server is back after the reset', async () => {
  const result = await runScript('examples/recipes/fallback.ts', []);
  assert.equal(result.code, 0, result.stderr);
  const blocks = result.stdout.split(/^(?=\w+: the server answers 503$)/m);
  assert.deepEqual(
    blocks.map((block) => block.split(':')[0]),
    ['opossum', 'cockatiel'],
  );
  for (const block of blocks) {
    const rows = block
      .split('\n')
      .map((line) => ROW.exec(line))
      .filter((match) => match !== null)
      .map(([, call, before, reached, answer, after]) => ({
        call,
        before,
        reached,
        answer,
        after,
      }));
    assert.equal(rows.length, 7, block);
    const failing = rows.slice(0, 3);
    const whileOpen = rows.slice(3, 6);
    // 3 failures reach the 503 server and open the circuit; the caller gets the fallback anyway.
    for (const row of failing)
      assert.deepEqual([row.reached, row.answer], ['yes', 'Hello from the cache!']);
    assert.equal(rows[2]?.after, 'open');
    // While open: the fallback answers at once, nothing reaches the server.
    for (const row of whileOpen) {
      assert.deepEqual(
        [row.before, row.reached, row.answer],
        ['open', 'no', 'Hello from the cache!'],
      );
    }
    // After the reset timeout, with the server up: the trial reaches it and closes the circuit.
    assert.deepEqual(
      [rows[6]?.reached, rows[6]?.answer, rows[6]?.after],
      ['yes', 'Hello world!', 'closed'],
    );
  }
});
