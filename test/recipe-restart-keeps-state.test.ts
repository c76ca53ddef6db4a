import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScript } from './helpers/run-command.ts';
import { REAL_TIME_SLACK_MS, TIMER_EARLY_MS } from './helpers/timing.ts';

const ROW =
  /^ {2}(cockatiel|opossum)\s+lived\s+(\d+) ms, opened {2}restored (\S+)\s+first call through: #(\d+), (\d+) ms after the opening, (\d+) ms after the restore$/;

test('a circuit restored after a restart stays open: cockatiel from the opening, opossum from the restore', async () => {
  const result = await runScript('examples/recipes/restart-state.ts', []);
  assert.equal(result.code, 0, result.stderr);
  const header = /reset timeout (\d+) ms; process 2 starts (\d+) ms after/.exec(result.stdout);
  const [reset, restart] = [Number(header?.[1]), Number(header?.[2])];
  assert.ok(reset > restart && restart > 0, result.stdout);
  const rows = result.stdout
    .split('\n')
    .map((line) => ROW.exec(line))
    .filter((match) => match !== null)
    .map(([, library, lived, restored, call, afterOpening, afterRestore]) => ({
      library,
      lived: Number(lived),
      restored,
      call: Number(call),
      afterOpening: Number(afterOpening),
      afterRestore: Number(afterRestore),
    }));
  assert.equal(rows.length, 4, result.stdout);
  const [cockatielYoung, cockatielOld, opossumYoung, opossumOld] = rows;

  // cockatiel saves when it opened (wall clock): restored open, the first call to get through
  // is the trial one reset timeout after the original opening, however long process 1 lived.
  for (const row of [cockatielYoung, cockatielOld]) {
    assert.equal(row?.restored, 'open');
    assert.ok(row && row.call > 1, 'calls right after the restore are rejected');
    assert.ok(row.afterOpening >= reset - TIMER_EARLY_MS, `${row.afterOpening} ms`);
    assert.ok(row.afterOpening < reset + REAL_TIME_SLACK_MS, `${row.afterOpening} ms`);
  }

  // opossum, restored open, starts a whole reset timeout again at the restore.
  assert.equal(opossumYoung?.lived, 0);
  assert.equal(opossumYoung.restored, 'open');
  assert.ok(opossumYoung.call > 1, 'calls right after the restore are rejected');
  assert.ok(opossumYoung.afterRestore >= reset - TIMER_EARLY_MS, `${opossumYoung.afterRestore} ms`);

  // opossum's saved lastTimerAt is when the breaker was created: one that lived longer than the
  // reset timeout comes back half-open, and its very first call reaches the failing server,
  // sooner than the reset timeout after the opening.
  assert.ok(opossumOld && opossumOld.lived > reset);
  assert.equal(opossumOld.restored, 'half-open');
  assert.equal(opossumOld.call, 1);
  assert.ok(opossumOld.afterOpening < reset, `${opossumOld.afterOpening} ms`);

  // Without the saved state, the new process starts closed and calls the failing server.
  assert.match(result.stdout, /a new breaker is closed; its first call reached the server: true/);
});
