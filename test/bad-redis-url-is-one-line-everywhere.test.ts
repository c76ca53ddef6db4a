import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScript } from './helpers/run-command.ts';

/** Every command that reads REDIS_URL, with what it needs to reach it. */
const COMMANDS: [string, string, string[]][] = [
  ['npm run fleet', 'src/cli/fleet.ts', ['--workers', '1', '--down', '0.5']],
  [
    'npm start -- --library fleet',
    'src/cli/lab.ts',
    ['--library', 'fleet', '--speed', '20', '--port', '0'],
  ],
  ['npm run circuit -- list', 'packages/shared-circuit/src/cli.ts', ['list']],
];

const BAD_URLS: [string, RegExp][] = [
  [
    'redis://127.0.0.1:6379/abc',
    /the database in REDIS_URL must be a whole number >= 0, got "redis:\/\/127\.0\.0\.1:6379\/abc"/,
  ],
  ['notaurl', /REDIS_URL must look like redis:\/\/host:port, got "notaurl"/],
  ['http://127.0.0.1:6379', /REDIS_URL must look like redis:\/\/host:port/],
  ['redis://127.0.0.1:99999', /REDIS_URL must look like redis:\/\/host:port/],
];

for (const [name, script, args] of COMMANDS) {
  test(`${name} answers a REDIS_URL that is not one with one line and exit code 2, before running anything`, async () => {
    for (const [url, message] of BAD_URLS) {
      const result = await runScript(script, args, { env: { REDIS_URL: url } });
      assert.equal(result.code, 2, `${url}: ${result.stderr}`);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `${url}: one line, got:\n${result.stderr}`);
      assert.match(lines[0] ?? '', /^error: /);
      assert.match(lines[0] ?? '', message, url);
      assert.equal(result.stdout, '', `${url}: nothing ran`);
    }
  });
}
