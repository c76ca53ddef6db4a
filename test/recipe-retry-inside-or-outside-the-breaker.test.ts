import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScript } from './helpers/run-command.ts';

const ROW =
  /^ {2}call (\d)\s+attempts (\d+)\s+reached server (\d+)\s+(HTTP 503|rejected: circuit open|success)\s+circuit (\S+)$/;

function parse(block: string) {
  return block
    .split('\n')
    .map((line) => ROW.exec(line))
    .filter((match) => match !== null)
    .map(([, , attempts, reached, outcome, circuit]) => ({
      attempts: Number(attempts),
      reached: Number(reached),
      outcome,
      circuit,
    }));
}

test('retry outside the breaker stops at the first rejection; retry inside sends every attempt', async () => {
  const result = await runScript('examples/recipes/retry.ts', []);
  assert.equal(result.code, 0, result.stderr);
  const [outside = '', inside = ''] = result.stdout.split(/^(?=wrap\(breaker, retry\))/m);
  assert.match(outside, /^wrap\(retry, breaker\)/);

  // Retry outside: each attempt counts for the breaker; the 4th attempt of call 1 is rejected,
  // and the retry gives up there. Later calls: one attempt, rejected, nothing sent.
  assert.deepEqual(parse(outside), [
    { attempts: 4, reached: 3, outcome: 'rejected: circuit open', circuit: 'open' },
    ...Array(4).fill({
      attempts: 1,
      reached: 0,
      outcome: 'rejected: circuit open',
      circuit: 'open',
    }),
  ]);
  assert.match(outside, /requests that reached the failing server: 3$/m);

  // Breaker outside: it sees one failure per call after all 4 attempts, so 3 calls (12 requests)
  // open it; then the retry is never run.
  assert.deepEqual(parse(inside), [
    { attempts: 4, reached: 4, outcome: 'HTTP 503', circuit: 'closed' },
    { attempts: 4, reached: 4, outcome: 'HTTP 503', circuit: 'closed' },
    { attempts: 4, reached: 4, outcome: 'HTTP 503', circuit: 'open' },
    { attempts: 0, reached: 0, outcome: 'rejected: circuit open', circuit: 'open' },
    { attempts: 0, reached: 0, outcome: 'rejected: circuit open', circuit: 'open' },
  ]);
  assert.match(inside, /requests that reached the failing server: 12$/m);
});
