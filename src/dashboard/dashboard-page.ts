import { readFileSync } from 'node:fs';
import { MARK_OUTCOMES, markStyle, TRIAL_RING } from '../report/timeline/marks.ts';
import {
  SERVER_KIND_MEANINGS,
  SERVER_SWATCHES,
  STATE_COLOURS,
} from '../report/timeline/palette.ts';

/** The page's script: plain browser JavaScript, no framework, nothing fetched but its own stream. */
const SCRIPT = readFileSync(new URL('./page-script.js', import.meta.url), 'utf8');

/** The timeline report's colours and marks, so the live page reads like the report. */
function theme(): string {
  const marks = Object.fromEntries(MARK_OUTCOMES.map((outcome) => [outcome, markStyle(outcome)]));
  const json = JSON.stringify({
    states: STATE_COLOURS,
    servers: SERVER_SWATCHES,
    meanings: SERVER_KIND_MEANINGS,
    marks,
    trialRing: TRIAL_RING,
  });
  // Inside <script>, "</" would end the element: JSON allows "<" to be written as \u003c.
  return json.replace(/</g, '\\u003c');
}

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 18px 24px 32px; background: #fff; color: #1f2328;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1200px; margin: 0 auto; }
h1 { font-size: 21px; margin: 0 0 2px; }
h2 { font-size: 16px; margin: 0; display: inline; }
h2 small { font-weight: 400; color: #59636e; font-size: 12px; }
.sub { margin: 0 0 12px; color: #59636e; }
#status.down { color: #a40e26; font-weight: 600; }
.panel { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; padding: 8px 10px;
  margin: 0 0 8px; border: 1px solid #d0d7de; border-radius: 6px; background: #f6f8fa; }
.panel .title { font-weight: 600; margin-right: 4px; }
.panel label { display: inline-flex; align-items: center; gap: 4px; }
.panel input { width: 64px; font: inherit; padding: 2px 4px; }
button { font: inherit; padding: 3px 10px; border: 1px solid #8c959f; border-radius: 5px;
  background: #fff; cursor: pointer; }
button:hover { border-color: #0969da; }
button.active { outline: 2px solid #0969da; font-weight: 600; }
#server-mode { padding: 1px 8px; border-radius: 4px; font-weight: 600; }
#message { min-height: 1.4em; margin: 0 0 6px; color: #a40e26; }
.lane { margin: 0 0 10px; }
.lane-head { display: flex; align-items: baseline; flex-wrap: wrap; gap: 4px 14px; }
.badge { padding: 0 8px; border-radius: 4px; font-weight: 600; font-size: 13px; color: #fff; }
.figures { color: #59636e; font-size: 12.5px; font-variant-numeric: tabular-nums; }
.lane-note { margin: 0; color: #7d4e00; font-size: 12.5px; }
svg.timeline { display: block; width: 100%; height: 58px; }
svg.axis { display: block; width: 100%; height: 18px; }
svg text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: #59636e; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 12px 0 0; font-size: 12.5px; color: #59636e; }
.legend span { display: inline-flex; align-items: center; gap: 5px; }
`;

/** The whole page, one document: its style and script inline. */
export function dashboardPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Circuit breakers, live</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>Circuit breakers, live</h1>
<p class="sub">Each library calls the mock server <code id="server-url"></code> in a loop through its own
circuit breaker. Change the server or the settings and watch each circuit react. <span id="status">connecting...</span></p>
<div class="panel" id="server-panel">
  <span class="title">Server</span> <span id="server-mode" data-server="">?</span>
  <button type="button" data-server="on">on</button>
  <button type="button" data-server="off">off</button>
  <button type="button" data-server="slow">slow</button>
  <label><input id="slow-ms" type="number" min="0" step="100" value="3000"> ms</label>
  <button type="button" data-server="hang">hang</button>
  <button type="button" data-server="error=503">503</button>
  <button type="button" data-server="flaky">flaky</button>
  <label>rate <input id="flaky-rate" type="number" min="0" max="1" step="0.1" value="0.5"></label>
  <button type="button" data-server="reset">reset</button>
</div>
<form class="panel" id="settings">
  <span class="title">Settings</span>
  <label>failures <input name="failures" type="number" min="1" step="1"></label>
  <label>reset timeout <input name="resetTimeoutMs" type="number" min="0" step="any"> s</label>
  <label>delay <input name="delayMs" type="number" min="0" step="any"> s</label>
  <label>request timeout <input name="requestTimeoutMs" type="number" min="0" step="any"> s</label>
  <label>opossum window <input name="rollingWindowMs" type="number" min="0" step="any"> s</label>
  <button type="submit">apply</button>
</form>
<p id="message" role="status"></p>
<div id="lanes"></div>
<svg class="axis" id="axis"></svg>
<div class="legend" id="legend"></div>
</main>
<script>const THEME = ${theme()};</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
