import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { matrixOfHang } from './helpers/matrix-of-hang.ts';
import { redisUrl } from './helpers/redis.ts';
import { cleanedNamespace, namespaceKeys } from './helpers/redis-namespace.ts';

/** The opening time in a hang cell: `opened at 6.8 s`. */
function openedAt(cell: string | undefined): number {
  const match = /opened at ([\d.]+) s/.exec(cell ?? '');
  assert.ok(match?.[1], `no opening time in "${cell}"`);
  return Number(match[1]);
}

test("with a Redis, the matrix has the shared circuit's column: on a hanging server its slowCallMs opens it before the libraries' timeouts", async (t) => {
  const url = await redisUrl(t);
  const namespace = cleanedNamespace(t, url, 'matrix-cli');
  const { doc } = await matrixOfHang(t, { REDIS_URL: url }, ['--fleet-namespace', namespace]);
  assert.match(
    doc,
    /^\| Scenario \| opossum [^|]+ \| cockatiel [^|]+ \| mollitia [^|]+ \| fleet shared-circuit [^|]+ \|$/m,
  );
  const row = doc.split('\n').find((line) => line.startsWith('| **Hanging server**'));
  const [, opossum, cockatiel, mollitia, fleet] = (row ?? '').split(' | ');
  // slowCall 0.5 s against a 2 s request timeout: the third hanging call counts 1.5 s sooner.
  for (const library of [opossum, cockatiel, mollitia])
    assert.ok(openedAt(library) - openedAt(fleet) >= 1, `${library} against ${fleet}`);
  assert.match(fleet ?? '', /3 calls waited 2\.\d s each \(the request timeout\)/);
  // Opening sooner moves the open period, and so the trial, sooner: whether that changes which
  // calls are trials depends on how the calls fall; when it does, the fleet's note says why.
  if (/\[\(\d+\)\]/.test(fleet ?? '')) {
    assert.match(doc, /fleet counts a call still running after 0\.5 s as failed \(slowCallMs\)/);
  }
  assert.deepEqual(await namespaceKeys(url, namespace), [], 'the matrix deleted its keys');
});
