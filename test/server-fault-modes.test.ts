import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  fetchGreeting,
  isRequestFailedError,
  type RequestFailure,
} from '../src/http/fetch-greeting.ts';
import { CLIENT_HEADER, startMockServer } from '../src/server/mock-server.ts';
import { ServerSwitch } from '../src/server/server-switch.ts';
import { parseMode, seededRandom } from '../src/server/server-mode.ts';
import { startTestServer } from './helpers/test-server.ts';
import { REAL_TIME_SLACK_MS } from './helpers/timing.ts';

async function failureOf(promise: Promise<unknown>): Promise<RequestFailure> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isRequestFailedError(error), String(error));
    return error.failure;
  }
  assert.fail('expected the request to fail');
}

test('slow=<ms> answers 200 after the delay', async (t) => {
  const server = await startTestServer(t);
  await fetchGreeting(server.url, { timeoutMs: 2000 }); // a warm connection, so only the delay is timed
  server.mode = parseMode('slow=300');
  const started = performance.now();
  assert.equal(await fetchGreeting(server.url, { timeoutMs: 2000 }), 'Hello world!');
  const took = performance.now() - started;
  assert.ok(took >= 295 && took < 300 + REAL_TIME_SLACK_MS, `took ${took} ms`);
});

test('slow=<ms> longer than the client timeout ends in the client timeout', async (t) => {
  const server = await startTestServer(t, { mode: parseMode('slow=2000') });
  assert.deepEqual(await failureOf(fetchGreeting(server.url, { timeoutMs: 100 })), {
    kind: 'timeout',
    afterMs: 100,
  });
});

test('hang accepts the request and never answers: the client waits for its own timeout', async (t) => {
  const server = await startTestServer(t, { mode: { kind: 'hang' } });
  const started = performance.now();
  assert.deepEqual(await failureOf(fetchGreeting(server.url, { timeoutMs: 250 })), {
    kind: 'timeout',
    afterMs: 250,
  });
  const took = performance.now() - started;
  assert.ok(took >= 245 && took < 250 + REAL_TIME_SLACK_MS, `took ${took} ms`);
  assert.equal(server.requests.byMode['hang'], 1, 'the request reached the server');
});

test('error=<status> answers that status with a short body', async (t) => {
  const server = await startTestServer(t, { mode: parseMode('error=503') });
  const response = await fetch(server.url);
  assert.equal(response.status, 503);
  assert.equal(await response.text(), 'Mock error 503');
  assert.deepEqual(await failureOf(fetchGreeting(server.url, { timeoutMs: 1000 })), {
    kind: 'status',
    status: 503,
  });
});

test('flaky=<rate> fails that fraction with 503, repeatably for a seed', async (t) => {
  const statuses = async (seed: number) => {
    const server = await startTestServer(t, { mode: parseMode('flaky=0.3'), seed });
    const result: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      const response = await fetch(server.url);
      await response.text();
      result.push(response.status);
    }
    return result;
  };
  const first = await statuses(7);
  const random = seededRandom(7);
  assert.deepEqual(
    first,
    first.map(() => (random() < 0.3 ? 503 : 200)),
    'follows the seeded source',
  );
  const failed = first.filter((status) => status === 503).length;
  assert.ok(failed > 40 && failed < 80, `${failed} of 200 failed`);
  assert.deepEqual(await statuses(7), first, 'the same seed repeats the run');
});

test('flaky gives every client the same sequence, and a restart does not start it over', async (t) => {
  const server = await ServerSwitch.create({ host: '127.0.0.1' });
  t.after(() => server.turnOff());
  const statusesOf = async (client: string, n: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i += 1) {
      const response = await fetch(server.url, { headers: { [CLIENT_HEADER]: client } });
      await response.text();
      statuses.push(response.status);
    }
    return statuses;
  };
  await server.turnOn(parseMode('flaky=0.5'));
  const a = await statusesOf('a', 20);
  assert.deepEqual(await statusesOf('b', 20), a, 'client b sees what client a saw');
  await server.turnOff();
  // A call while it is off, as every off phase of a schedule makes: it also retires the pooled
  // keep-alive socket, which fetch would otherwise try once more right after the restart.
  await fetch(server.url).then(
    () => assert.fail('the server is off'),
    () => undefined,
  );
  await server.turnOn(parseMode('flaky=0.5'));
  const random = seededRandom(1);
  const expected = Array.from({ length: 40 }, () => (random() < 0.5 ? 503 : 200));
  assert.deepEqual(
    [...a, ...(await statusesOf('a', 20))],
    expected,
    'after the restart the sequence goes on',
  );
});

test('fail-every=<n> fails every n-th request of each client with 503, and a new mode counts afresh', async (t) => {
  const server = await startTestServer(t, { mode: parseMode('fail-every=3') });
  const statusesOf = async (client: string, n: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i += 1) {
      const response = await fetch(server.url, { headers: { [CLIENT_HEADER]: client } });
      await response.text();
      statuses.push(response.status);
    }
    return statuses;
  };
  assert.deepEqual(await statusesOf('a', 4), [200, 200, 503, 200]);
  assert.deepEqual(await statusesOf('b', 3), [200, 200, 503], 'client b has a count of its own');
  assert.deepEqual(await statusesOf('a', 2), [200, 503], "a's count went on: its 5th and 6th");
  server.mode = parseMode('fail-every=2');
  assert.deepEqual(await statusesOf('a', 4), [200, 503, 200, 503], 'counted from the new mode');
  assert.deepEqual(server.requests.byMode, { 'fail-every=3': 9, 'fail-every=2': 4 });
});

test('reset accepts the connection and destroys the socket', async (t) => {
  const server = await startTestServer(t, { mode: { kind: 'reset' } });
  assert.deepEqual(await failureOf(fetchGreeting(server.url, { timeoutMs: 1000 })), {
    kind: 'reset',
  });
  assert.equal(server.requests.byMode['reset'], 1);
});

test('counts the requests that reached it per mode', async (t) => {
  const server = await startTestServer(t);
  await fetchGreeting(server.url, { timeoutMs: 1000 });
  server.mode = parseMode('error=500');
  await failureOf(fetchGreeting(server.url, { timeoutMs: 1000 }));
  await failureOf(fetchGreeting(server.url, { timeoutMs: 1000 }));
  server.mode = { kind: 'up' };
  await fetchGreeting(server.url, { timeoutMs: 1000 });
  assert.deepEqual(server.requests.byMode, { up: 2, 'error=500': 2 });
  assert.equal(server.requests.total, 4);
});

test('a request is served by the mode in force when it arrived, even if the mode changes meanwhile', async (t) => {
  const server = await startTestServer(t, { mode: parseMode('slow=300') });
  const inFlight = fetchGreeting(server.url, { timeoutMs: 2000 });
  await new Promise((resolve) => setTimeout(resolve, 100));
  server.mode = parseMode('error=503');
  assert.deepEqual(await failureOf(fetchGreeting(server.url, { timeoutMs: 1000 })), {
    kind: 'status',
    status: 503,
  });
  assert.equal(await inFlight, 'Hello world!', 'the slow request still gets its slow answer');
});

test('switching away from hang leaves the hung request hanging and serves new ones', async (t) => {
  const server = await startTestServer(t, { mode: { kind: 'hang' } });
  const hung = failureOf(fetchGreeting(server.url, { timeoutMs: 400 }));
  await new Promise((resolve) => setTimeout(resolve, 100));
  server.mode = { kind: 'up' };
  assert.equal(await fetchGreeting(server.url, { timeoutMs: 1000 }), 'Hello world!');
  assert.deepEqual(await hung, { kind: 'timeout', afterMs: 400 });
});

test('stop() ends a hanging request at once instead of leaving the client to its timeout', async () => {
  const server = await startMockServer({ host: '127.0.0.1', port: 0, mode: { kind: 'hang' } });
  const started = performance.now();
  const hung = failureOf(fetchGreeting(server.url, { timeoutMs: 5000 }));
  await new Promise((resolve) => setTimeout(resolve, 100));
  await server.stop();
  const failure = await hung;
  assert.equal(failure.kind, 'reset');
  assert.ok(performance.now() - started < 1000);
});

test('parseMode rejects what is not a mode, naming the valid ones', () => {
  for (const bad of [
    'down',
    'slow',
    'slow=-1',
    'error=200',
    'error=abc',
    'flaky=1.5',
    'fail-every=0',
    'fail-every=1.5',
    'fail-every',
    'hang=3',
    'up=1',
    '',
  ]) {
    assert.throws(
      () => parseMode(bad),
      /is not a server mode; expected one of up, slow=<ms>, hang, error=<status 400-599>, flaky=<rate 0-1>, fail-every=<n>, reset/,
      bad,
    );
  }
});
