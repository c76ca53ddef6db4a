import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { test } from 'node:test';
import { handleControl } from '../src/server/control-endpoint.ts';
import { emptyCounts } from '../src/server/mock-server.ts';
import { runScript } from './helpers/run-command.ts';
import { startTestServer } from './helpers/test-server.ts';

test('PUT /__mock/mode changes the mode', async (t) => {
  const server = await startTestServer(t, { control: true });
  const put = await fetch(`${server.url}__mock/mode`, { method: 'PUT', body: 'error=503' });
  assert.equal(put.status, 200);
  assert.deepEqual(await put.json(), { mode: 'error=503' });
  assert.equal((await fetch(server.url)).status, 503);
});

test('GET /__mock/mode reads the mode and the request counts', async (t) => {
  const server = await startTestServer(t, { control: true });
  await (await fetch(server.url)).text();
  const response = await fetch(`${server.url}__mock/mode`);
  assert.deepEqual(await response.json(), {
    mode: 'up',
    requests: { total: 1, byClient: { '-': 1 }, byMode: { up: 1 } },
  });
});

test('a malformed mode is answered 400 with a message, and the mode stays', async (t) => {
  const server = await startTestServer(t, { control: true, mode: { kind: 'hang' } });
  const response = await fetch(`${server.url}__mock/mode`, { method: 'PUT', body: 'slow=fast' });
  assert.equal(response.status, 400);
  assert.equal(
    await response.text(),
    '"slow=fast" is not a server mode; expected one of up, slow=<ms>, hang, error=<status 400-599>, flaky=<rate 0-1>, fail-every=<n>, reset\n',
  );
  assert.equal(server.mode.kind, 'hang');
});

test('an oversized mode body is answered 400 with a message, not a dropped connection', async (t) => {
  const server = await startTestServer(t, { control: true });
  const response = await fetch(`${server.url}__mock/mode`, {
    method: 'PUT',
    body: 'x'.repeat(5000),
  });
  assert.equal(response.status, 400);
  assert.match(await response.text(), /^a mode is at most 256 characters; expected one of up, /);
  assert.equal(server.mode.kind, 'up');
});

test('without the control option /__mock/mode is an ordinary request', async (t) => {
  const server = await startTestServer(t);
  const response = await fetch(`${server.url}__mock/mode`, { method: 'PUT', body: 'error=503' });
  assert.equal(response.status, 404);
  assert.equal(server.mode.kind, 'up');
});

test('the control endpoint refuses a client that is not on loopback', async () => {
  // A request object whose peer is a documentation address (192.0.2.1): no packet leaves the machine.
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: '192.0.2.1' });
  const request = new IncomingMessage(socket);
  request.method = 'PUT';
  request.url = '/__mock/mode';
  const response = new ServerResponse(request);
  let changed = false;
  handleControl(request, response, {
    get: () => ({ kind: 'up' }),
    set: () => (changed = true),
    requests: emptyCounts(),
  });
  assert.equal(response.statusCode, 403);
  assert.equal(changed, false);
});

test('npm run server binds loopback, takes --mode and changes mode through the control endpoint', async () => {
  let url: string | undefined;
  const seen: number[] = [];
  const result = await runScript(
    'src/cli/server.ts',
    ['--port', '0', '--mode', 'error=503', '--quiet'],
    {
      onStdout: (text, child) => {
        const match = / \* Mock server on (http:\/\/[^ ]+) in mode error=503/.exec(text);
        if (match && !url) {
          url = match[1] ?? '';
          void (async () => {
            seen.push((await fetch(url ?? '')).status);
            await fetch(`${url}__mock/mode`, { method: 'PUT', body: 'up' });
            seen.push((await fetch(url ?? '')).status);
            child.kill('SIGINT');
          })();
        }
      },
    },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.match(url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.deepEqual(seen, [503, 200]);
  assert.match(result.stdout, / \* Stopped after 2 requests: \{"error=503":1,"up":1\}/);
});

test('npm run server rejects a malformed mode with one line and exit code 2', async () => {
  const result = await runScript('src/cli/server.ts', ['--mode', 'flaky=2']);
  assert.equal(result.code, 2);
  assert.equal(
    result.stderr,
    'error: --mode: "flaky=2" is not a server mode; expected one of up, slow=<ms>, hang, error=<status 400-599>, flaky=<rate 0-1>, fail-every=<n>, reset\n',
  );
});
