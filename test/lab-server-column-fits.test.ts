import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunEvent } from '../src/scenario/run-scenario.ts';
import { parseSchedule } from '../src/scenario/scenario.ts';
import { serverColumnWidth, tableHeader, tableRow } from '../src/report/terminal/side-by-side.ts';

const plain = (_state: string, text: string) => text;

function row(server: 'on' | 'fail-every=12', width: number): string {
  const event: Extract<RunEvent, { type: 'call' }> = {
    type: 'call',
    call: 1,
    at: 0,
    server,
    records: [
      {
        library: 'cockatiel',
        call: 1,
        at: 0,
        server,
        outcome: 'success',
        state: 'closed',
        timeTillRetry: 0,
        latency: 0,
        trial: false,
      },
    ],
    after: { cockatiel: { state: 'closed', timeTillRetry: 0 } },
  };
  return tableRow(event, ['cockatiel'], plain, 1, width);
}

test('the server column is as wide as the longest setting, so every lane starts under its name', () => {
  const width = serverColumnWidth(parseSchedule('off:2,fail-every=12:3,on:1'));
  assert.equal(width, 'fail-every=12'.length);
  const column = tableHeader(['cockatiel'], 1, width).indexOf('cockatiel');
  for (const server of ['on', 'fail-every=12'] as const) {
    assert.equal(row(server, width).indexOf('success'), column, server);
  }
  assert.equal(serverColumnWidth(parseSchedule('off:10,on:10')), 10, 'the usual width');
});
