import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { LIBRARIES } from '../src/libraries/registry.ts';
import { isChromiumMissingError, launchChromium } from '../src/report/timeline/chromium.ts';
import {
  renderTimelineHtml,
  renderTimelinePage,
  renderTimelineSection,
  writeTimelinePage,
  writeTimelineReport,
} from '../src/report/timeline/page.ts';
import { runScenario } from '../src/scenario/run-scenario.ts';
import { SEED_SCENARIO, type Scenario } from '../src/scenario/scenario.ts';
import type { CallRecord, LibraryRun, Trace } from '../src/scenario/trace.ts';
import { CHROMIUM_MISSING, openWatchedPage, startChromium } from './helpers/chromium.ts';

/** The browser test runs the real seed scenario this much faster than real time (about 1.5 s). */
const REPORT_SPEED = 20;

function call(number: number, at: number, fields: Partial<CallRecord> = {}): CallRecord {
  return {
    call: number,
    at,
    server: 'off',
    outcome: 'failure',
    state: 'closed',
    timeTillRetry: 6,
    latency: 0.01,
    trial: false,
    error: 'connection refused',
    ...fields,
  };
}

function run(library: string, calls: CallRecord[]): LibraryRun {
  return {
    library,
    version: '1.2.3',
    calls,
    summary: { reachedServer: 3, rejected: 1, trials: 1, opened: 1, secondsOpen: 4.5 },
    states: [
      { state: 'closed', from: 0, to: 2.5 },
      { state: 'open', from: 2.5, to: 8.5 },
      { state: 'half-open', from: 8.5, to: 8.6 },
      { state: 'closed', from: 8.6, to: 12 },
    ],
  };
}

/** A small hand-built trace: two libraries, every outcome, a trial, three server modes. */
function sampleTrace(overrides: { library?: string; error?: string; scenario?: Scenario } = {}) {
  const calls = (): CallRecord[] => [
    call(1, 0),
    call(2, 1.1, { outcome: 'failure', state: 'open', latency: 2 }),
    call(3, 4, { outcome: 'rejected', state: 'open', error: overrides.error ?? 'circuit open' }),
    call(4, 8.5, {
      outcome: 'success',
      state: 'closed',
      server: 'slow=800',
      trial: true,
      latency: 0.8,
    }),
  ];
  const trace: Trace = {
    scenario: overrides.scenario ?? { ...SEED_SCENARIO, speed: 10 },
    server: [
      { server: 'off', from: 0, to: 5 },
      { server: 'slow=800', from: 5, to: 10 },
      { server: 'error=503', from: 10, to: 12 },
    ],
    runs: [run(overrides.library ?? 'opossum', calls()), run('cockatiel', calls())],
    duration: 12,
    interrupted: false,
  };
  return trace;
}

function count(html: string, pattern: RegExp): number {
  return html.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
}

/** The markup of one library's lane. */
function laneOf(html: string, library: string): string {
  const start = html.indexOf(`<g class="lane" data-library="${library}">`);
  assert.notEqual(start, -1, `no lane for ${library}`);
  const next = html.indexOf('<g class="lane"', start + 1);
  return html.slice(start, next === -1 ? html.indexOf('</svg>', start) : next);
}

test('the page has one lane per library, labelled with its name and version', () => {
  const html = renderTimelineHtml(sampleTrace());
  assert.equal(count(html, /<g class="lane"/), 2);
  for (const library of ['opossum', 'cockatiel']) {
    const lane = laneOf(html, library);
    assert.match(lane, new RegExp(`<text class="row-name"[^>]*>${library}</text>`));
    assert.match(lane, /<text class="row-detail"[^>]*>1\.2\.3<\/text>/);
  }
});

test('every call is one mark whose class names its outcome', () => {
  const lane = laneOf(renderTimelineHtml(sampleTrace()), 'opossum');
  assert.equal(count(lane, /<g class="call /), 4);
  assert.equal(count(lane, /<g class="call failure"/), 2);
  assert.equal(count(lane, /<g class="call rejected"/), 1);
  assert.equal(count(lane, /<g class="call success trial"/), 1);
  assert.deepEqual(
    [...lane.matchAll(/data-call="(\d+)"/g)].map((match) => match[1]),
    ['1', '2', '3', '4'],
  );
});

test('outcomes differ by shape, not colour alone', () => {
  const lane = laneOf(renderTimelineHtml(sampleTrace()), 'opossum');
  const markOf = (outcome: string) => {
    const start = lane.indexOf(`<g class="call ${outcome}`);
    return lane.slice(start, lane.indexOf('</g>', start));
  };
  assert.match(markOf('success'), /<circle r="5.5"/);
  assert.match(markOf('failure'), /<path d="M-4.5-4.5L4.5 4.5/);
  assert.match(markOf('rejected'), /<rect x="-4.5" y="-4.5"/);
  assert.match(markOf('success trial'), /class="trial-ring"/);
});

test('every mark has a tooltip with call number, outcome, latency and state after', () => {
  const lane = laneOf(renderTimelineHtml(sampleTrace()), 'opossum');
  const tips = [...lane.matchAll(/<g class="call [^>]*><title>([^<]*)<\/title>/g)].map((m) => m[1]);
  assert.equal(tips.length, 4);
  assert.match(
    tips[1] ?? '',
    /^call 2: failure\nat 1.1 s, latency 2.00 s, server off\nstate after: open/,
  );
  assert.match(tips[3] ?? '', /call 4: success \(trial call while half-open\)/);
  assert.match(tips[3] ?? '', /latency 800 ms, server slow=800/);
});

test('a latency bar is drawn only when the latency is a visible fraction of the axis', () => {
  const lane = laneOf(renderTimelineHtml(sampleTrace()), 'opossum');
  const hasBar = (n: number) => {
    const start = lane.indexOf(`data-call="${n}"`);
    return lane.slice(start, lane.indexOf('</g>', start)).includes('class="latency"');
  };
  assert.deepEqual([1, 2, 3, 4].map(hasBar), [false, true, false, true]);
});

test('concurrent callers get a row each, with latency still drawn', () => {
  const trace = sampleTrace();
  const [first] = trace.runs;
  assert.ok(first);
  first.calls = [1, 2, 3].map((caller) =>
    call(5, 9, { caller, outcome: caller === 1 ? 'success' : 'rejected', latency: 1 }),
  );
  const lane = laneOf(renderTimelineHtml(trace), 'opossum');
  const rows = [...lane.matchAll(/data-call="5" transform="translate\([\d.]+ ([\d.]+)\)"/g)];
  assert.equal(new Set(rows.map((match) => match[1])).size, 3, 'three rows');
  assert.equal(count(lane, /class="latency"/), 3);
  assert.match(lane, /call 5, caller 2: rejected/);
});

test('an interrupted trace and a trace without calls still render', () => {
  const interrupted = { ...sampleTrace(), interrupted: true };
  assert.match(renderTimelineHtml(interrupted), /interrupted at 12 s/);
  const empty: Trace = { ...sampleTrace(), server: [], runs: [], duration: 0 };
  const html = renderTimelineHtml(empty);
  assert.equal(count(html, /<g class="lane"/), 0);
  assert.match(html, /<svg class="timeline-svg"/);
});

test('each state span is drawn with its state as a class', () => {
  const lane = laneOf(renderTimelineHtml(sampleTrace()), 'cockatiel');
  assert.deepEqual(
    [...lane.matchAll(/<g class="state ([a-z-]+)">/g)].map((match) => match[1]),
    ['closed', 'open', 'half-open', 'closed'],
  );
});

test('the server band shows each phase with its label, coloured by the kind of mode', () => {
  const html = renderTimelineHtml(sampleTrace());
  const spans = [
    ...html.matchAll(/<g class="server-span" data-server="([^"]+)">.*?fill="(#\w+)"/g),
  ];
  assert.deepEqual(
    spans.map((match) => match[1]),
    ['off', 'slow=800', 'error=503'],
  );
  assert.equal(new Set(spans.map((match) => match[2])).size, 3, 'three kinds, three colours');
  assert.match(html, />slow=800<\/text>/);
  const other = renderTimelineHtml({
    ...sampleTrace(),
    server: [
      { server: 'slow=50', from: 0, to: 6 },
      { server: 'slow=900', from: 6, to: 12 },
    ],
  });
  const colours = [...other.matchAll(/<g class="server-span"[^>]*>.*?fill="(#\w+)"/g)].map(
    (m) => m[1],
  );
  assert.equal(colours[0], colours[1], 'one colour per kind, whatever the value');
});

test('the summary table has a row per library with its counts', () => {
  const html = renderTimelineHtml(sampleTrace());
  const table = /<table class="summary">.*<\/table>/s.exec(html)?.[0] ?? '';
  assert.equal(count(table, /<tr><th scope="row">/), 2);
  const heads = [...table.matchAll(/<th scope="col">([^<]+)<\/th>/g)].map((match) => match[1]);
  assert.deepEqual(heads, [
    'library',
    'calls',
    'succeeded',
    'failed',
    'rejected',
    'reached server',
    'trials',
    'opened',
    'seconds open',
  ]);
  assert.match(
    table,
    /<th scope="row">opossum <span class="version">1\.2\.3<\/span><\/th><td>4<\/td><td>1<\/td><td>2<\/td><td>1<\/td><td>3<\/td><td>1<\/td><td>1<\/td><td>4\.5 s<\/td>/,
  );
});

test('an ignored error gets its own mark, legend entry and summary column', () => {
  const trace = sampleTrace();
  trace.runs[0]?.calls.push(call(5, 10, { outcome: 'ignored', server: 'error=404' }));
  const html = renderTimelineHtml(trace);
  assert.match(
    laneOf(html, 'opossum'),
    /<g class="call ignored"[^>]*>.*?<path d="M0-6L6 0L0 6L-6 0Z"/s,
  );
  assert.match(html, /error the breaker ignored<\/li>/);
  assert.match(html, /<th scope="col">ignored<\/th>/);
  assert.doesNotMatch(renderTimelineHtml(sampleTrace()), /ignored/);
});

test('the scenario line names failures, reset timeout, delay, request timeout, schedule and speed', () => {
  const html = renderTimelineHtml(sampleTrace());
  const line = /<p class="scenario">(.*?)<\/p>/.exec(html)?.[1] ?? '';
  assert.match(line, /schedule <strong>off:10,on:10<\/strong>/);
  assert.match(line, /opens after 3 failures/);
  assert.match(line, /reset timeout 6 s/);
  assert.match(line, /1 s between calls/);
  assert.match(line, /request timeout 2 s/);
  assert.match(line, /run at 10× speed/);
});

test('text from the trace is escaped everywhere', () => {
  const nasty = '<script>alert("x")</script>';
  const html = renderTimelineHtml(sampleTrace({ library: nasty, error: `'&<b>` }), {
    title: 'A <b>title</b>',
  });
  assert.ok(!html.includes('<script'), 'no script element');
  assert.ok(!html.includes('<b>'), 'no injected element');
  assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
  assert.match(html, /&#39;&amp;&lt;b&gt;/);
  assert.match(html, /<title>A &lt;b&gt;title&lt;\/b&gt;<\/title>/);
  const section = renderTimelineSection(sampleTrace(), 'Heading & <i>more</i>');
  assert.match(section, /<h2>Heading &amp; &lt;i&gt;more&lt;\/i&gt;<\/h2>/);
});

test('the page references no external resource', () => {
  const html = renderTimelineHtml(sampleTrace());
  assert.ok(!/https?:\/\//.test(html), 'no http:// or https:// anywhere');
  assert.ok(!/\s(?:src|href|xlink:href)\s*=/.test(html), 'no src or href attributes');
  assert.ok(!/url\(|@import|<script|<link|<img/.test(html), 'no fetched CSS, scripts or images');
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
});

test('several traces render as sections of one page with one legend', () => {
  const html = renderTimelinePage(
    [
      { heading: 'Seed', trace: sampleTrace() },
      { heading: 'Flapping', trace: sampleTrace(), note: 'Does it <flap>?' },
    ],
    'Every scenario',
  );
  assert.equal(count(html, /<section class="timeline">/), 2);
  assert.equal(count(html, /<h2>/), 2);
  assert.equal(count(html, /<div class="legend">/), 1);
  assert.equal(count(html, /<g class="lane"/), 4);
  assert.equal(count(html, /<html/), 1);
  assert.match(html, /<h2>Flapping<\/h2>\n<p class="note">Does it &lt;flap&gt;\?<\/p>/);
});

test('writeTimelineReport and writeTimelinePage create the folder and write the page', async (t) => {
  const folder = await mkdtemp(join(tmpdir(), 'timeline-test-'));
  t.after(() => rm(folder, { recursive: true, force: true }));
  const file = join(folder, 'nested', 'report.html');
  await writeTimelineReport(sampleTrace(), file, { title: 'Written' });
  assert.equal(
    await readFile(file, 'utf8'),
    renderTimelineHtml(sampleTrace(), { title: 'Written' }),
  );
  const sections = [{ heading: 'One', trace: sampleTrace() }];
  const page = join(folder, 'other', 'page.html');
  await writeTimelinePage(sections, 'All', page);
  assert.equal(await readFile(page, 'utf8'), renderTimelinePage(sections, 'All'));
});

test(
  'a real seed run renders in headless Chromium with every lane and call mark and no errors',
  {
    timeout: 60_000,
    skip: CHROMIUM_MISSING ?? false,
  },
  async (t) => {
    const trace = await runScenario({
      scenario: { ...SEED_SCENARIO, speed: REPORT_SPEED },
      libraries: Object.values(LIBRARIES),
      host: '127.0.0.1',
    });
    const folder = await mkdtemp(join(tmpdir(), 'timeline-test-'));
    t.after(() => rm(folder, { recursive: true, force: true }));
    const file = join(folder, 'report.html');
    await writeTimelineReport(trace, file);

    const browser = await startChromium(t);
    const { page, errors, requests } = await openWatchedPage(browser);
    const url = pathToFileURL(file).href;
    await page.goto(url);

    const lanes = page.locator('svg.timeline-svg g.lane');
    assert.equal(await lanes.count(), 3);
    for (const libraryRun of trace.runs) {
      const lane = page.locator(`svg g.lane[data-library="${libraryRun.library}"]`);
      assert.equal(await lane.locator('g.call').count(), libraryRun.calls.length);
      assert.equal(libraryRun.calls.length, 20);
      for (const outcome of ['success', 'failure', 'rejected']) {
        const expected = libraryRun.calls.filter((c) => c.outcome === outcome).length;
        assert.equal(await lane.locator(`g.call.${outcome}`).count(), expected, outcome);
      }
      assert.equal(await lane.locator('g.state').count(), libraryRun.states.length);
      assert.ok((await lane.locator('g.call.trial').count()) >= 1, 'a trial call is marked');
    }
    assert.equal(await page.locator('g.server-span').count(), trace.server.length);

    const svg = await page.locator('svg.timeline-svg').boundingBox();
    assert.ok(svg && svg.width > 900, `the timeline is drawn wide: ${JSON.stringify(svg)}`);
    const marks = await page
      .locator('g.call')
      .evaluateAll((nodes) => nodes.map((node) => node.getBoundingClientRect().toJSON()));
    for (const mark of marks) {
      assert.ok(mark.width > 0 && mark.left >= svg.x && mark.right <= svg.x + svg.width + 1);
    }

    assert.deepEqual(errors, []);
    assert.deepEqual(
      requests.filter((request) => request !== url),
      [],
      'the page fetches nothing',
    );
  },
);

test('a missing Chromium fails with a message naming the path and the package', async () => {
  await assert.rejects(launchChromium('/nonexistent/chromium'), (error) => {
    assert.ok(isChromiumMissingError(error));
    assert.match(error.message, /\/nonexistent\/chromium/);
    assert.match(error.message, /apt-get install chromium\), or run bash \.ci\/run/);
    return true;
  });
});
