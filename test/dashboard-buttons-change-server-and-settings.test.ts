import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test, type TestContext } from 'node:test';
import { cockatiel } from '../src/breakers/cockatiel.ts';
import type { DashboardEvent } from '../src/dashboard/dashboard-event.ts';
import { startDashboard, type Dashboard } from '../src/dashboard/dashboard.ts';
import { waitUntil } from './helpers/timing.ts';

async function dashboardFor(
  t: TestContext,
): Promise<{ dashboard: Dashboard; events: DashboardEvent[] }> {
  const dashboard = await startDashboard({
    libraries: [cockatiel],
    settings: { delayMs: 20, resetTimeoutMs: 60_000, requestTimeoutMs: 1000 },
  });
  t.after(() => dashboard.stop());
  const events: DashboardEvent[] = [];
  dashboard.onEvent((event) => events.push(event));
  return { dashboard, events };
}

function post(dashboard: Dashboard, path: string, body: string): Promise<Response> {
  return fetch(new URL(path, dashboard.url), { method: 'POST', body });
}

test('the server buttons change the mock server, and the stream reports each change', async (t) => {
  const { dashboard, events } = await dashboardFor(t);
  const order = async (text: string) => {
    const response = await post(dashboard, '/api/server', text);
    assert.equal(response.status, 200, text);
    return ((await response.json()) as { server: string }).server;
  };
  assert.equal(await order('error=503'), 'error=503');
  assert.equal((await fetch(dashboard.serverUrl)).status, 503);
  assert.equal(await order('off'), 'off');
  await assert.rejects(fetch(dashboard.serverUrl), 'the port is closed');
  assert.equal(await order('on'), 'on');
  assert.equal(await (await fetch(dashboard.serverUrl)).text(), 'Hello world!');
  const changes = events.flatMap((e) => (e.type === 'server' ? [e.server] : []));
  assert.deepEqual(changes, ['error=503', 'off', 'on']);
});

test('a bad order is refused with one line that names the problem, and changes nothing', async (t) => {
  const { dashboard, events } = await dashboardFor(t);
  const refused = async (path: string, body: string, message: RegExp) => {
    const response = await post(dashboard, path, body);
    assert.equal(response.status, 400, body);
    const text = await response.text();
    assert.match(text, message);
    assert.equal(text.split('\n').length, 2, 'one line');
  };
  await refused(
    '/api/server',
    'slow=x',
    /^"slow=x" is not a server mode; expected one of up, slow=<ms>.*, or off$/m,
  );
  await refused(
    '/api/settings',
    '{"failures":0}',
    /^failures must be a whole number from 1 to 1000, got 0$/m,
  );
  await refused(
    '/api/settings',
    '{"delayMs":"fast"}',
    /^delayMs must be a number of milliseconds from 10 to 3600000, got "fast"$/m,
  );
  await refused(
    '/api/settings',
    '{"speed":2}',
    /^unknown setting "speed"; valid: failures, resetTimeoutMs/m,
  );
  await refused(
    '/api/settings',
    'failures=2',
    /^settings must be a JSON object, got "failures=2"$/m,
  );
  assert.deepEqual(
    events.filter((e) => e.type === 'server' || e.type === 'settings'),
    [],
  );
});

test('new settings start every caller again on a fresh breaker that uses them', async (t) => {
  const { dashboard, events } = await dashboardFor(t);
  const response = await post(dashboard, '/api/settings', JSON.stringify({ failures: 1 }));
  assert.equal(response.status, 200);
  await waitUntil('a call on the new breaker succeeds', () => {
    const changed = events.findIndex((e) => e.type === 'settings');
    return (
      changed >= 0 &&
      events.slice(changed).some((e) => e.type === 'call' && e.outcome === 'success')
    );
  });
  await post(dashboard, '/api/server', 'off');
  await waitUntil('cockatiel opens', () =>
    events.some((e) => e.type === 'state' && e.to === 'open'),
  );
  const opened = events.find((e) => e.type === 'state' && e.to === 'open');
  assert.ok(opened?.type === 'state');
  assert.equal(opened.failuresInARow, 1, 'open after 1 failure, the new setting');
});

test('the page answers only requests that name its own loopback host, and allows nothing from elsewhere', async (t) => {
  const { dashboard } = await dashboardFor(t);
  const url = new URL(dashboard.url);
  const get = (host: string) =>
    new Promise<{ status: number; csp: string | undefined }>((resolve, reject) => {
      request({ host: url.hostname, port: url.port, path: '/', headers: { host } }, (response) => {
        response.resume();
        const csp = response.headers['content-security-policy'];
        resolve({
          status: response.statusCode ?? 0,
          csp: typeof csp === 'string' ? csp : undefined,
        });
      })
        .once('error', reject)
        .end();
    });
  assert.equal((await get(`evil.example:${url.port}`)).status, 403, 'a DNS-rebinding page');
  for (const host of [`127.0.0.1:${url.port}`, `localhost:${url.port}`]) {
    const page = await get(host);
    assert.equal(page.status, 200, host);
    assert.match(page.csp ?? '', /default-src 'none'/);
    assert.match(page.csp ?? '', /connect-src 'self'/);
  }
});
