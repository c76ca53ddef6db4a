/* The dashboard page's script (served inline by dashboard-page.ts): follows the event stream and
   draws each library's state and its recent calls. Plain browser JavaScript, no framework. */
/* global THEME, document, window, EventSource, fetch, performance */
'use strict';

const LANE_HEIGHT = 58;
const SERVER_BAND = 8;
const MARK_Y = 33;
const STATE_TOP = SERVER_BAND + 3;
const STATE_BOTTOM = LANE_HEIGHT - 2;

const model = {
  connected: false,
  /** Dashboard time (ms) = performance.now() + offset, set by each hello. */
  offset: 0,
  settings: undefined,
  server: [],
  lanes: new Map(),
};

const $ = (id) => document.getElementById(id);
const esc = (text) =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
const now = () => performance.now() + model.offset;
const seconds = (ms) => Math.round(ms) / 1000;

/** The timeline shows about 60 calls of one library, between 10 s and 2 min. */
function windowMs() {
  const delay = model.settings ? model.settings.delayMs : 500;
  return Math.min(120000, Math.max(10000, 60 * delay));
}

function serverKind(label) {
  const i = label.indexOf('=');
  return i === -1 ? label : label.slice(0, i);
}

function swatch(label) {
  return THEME.servers[serverKind(label)] || { fill: '#afb8c1', text: '#1f2328' };
}

function laneOf(library) {
  let lane = model.lanes.get(library);
  if (!lane) {
    lane = {
      library,
      version: '',
      state: 'closed',
      states: [],
      calls: [],
      resets: [],
      counts: { calls: 0, failure: 0, rejected: 0, trial: 0 },
      openedAfter: undefined,
      note: '',
      element: undefined,
    };
    model.lanes.set(library, lane);
  }
  return lane;
}

function setState(lane, to, at) {
  lane.state = to;
  lane.states.push({ state: to, from: at });
}

function handle(event) {
  switch (event.type) {
    case 'hello':
      model.offset = event.at - performance.now();
      model.settings = event.settings;
      model.server = [{ server: event.server, from: event.at }];
      model.lanes.clear();
      $('lanes').textContent = '';
      for (const info of event.lanes) {
        const lane = laneOf(info.library);
        lane.version = info.version;
        setState(lane, info.state, event.at);
      }
      $('server-url').textContent = event.serverUrl;
      showSettings();
      showServer();
      break;
    case 'call': {
      const lane = laneOf(event.library);
      lane.calls.push(event);
      lane.counts.calls += 1;
      if (event.outcome !== 'success') lane.counts[event.outcome] += 1;
      if (event.trial) lane.counts.trial += 1;
      break;
    }
    case 'state': {
      const lane = laneOf(event.library);
      setState(lane, event.to, event.at);
      if (event.to === 'open' && event.failuresInARow !== undefined) {
        lane.openedAfter = event.failuresInARow;
      }
      break;
    }
    case 'server':
      model.server.push({ server: event.server, from: event.at });
      showServer();
      break;
    case 'settings':
      model.settings = event.settings;
      for (const lane of model.lanes.values()) {
        // Every caller starts again on a fresh breaker, closed.
        lane.resets.push(event.at);
        lane.openedAfter = undefined;
        setState(lane, 'closed', event.at);
      }
      showSettings();
      break;
    case 'note':
      laneOf(event.library).note = event.text;
      break;
  }
}

function showServer() {
  const current = model.server[model.server.length - 1];
  const label = current ? current.server : '?';
  const element = $('server-mode');
  const colours = swatch(label);
  element.textContent = label;
  element.dataset.server = label;
  element.style.background = colours.fill;
  element.style.color = colours.text;
  for (const button of document.querySelectorAll('#server-panel button')) {
    button.classList.toggle('active', serverKind(button.dataset.server) === serverKind(label));
  }
}

function showSettings() {
  const form = $('settings');
  const s = model.settings;
  form.elements.failures.value = s.failures;
  for (const name of ['resetTimeoutMs', 'delayMs', 'requestTimeoutMs', 'rollingWindowMs']) {
    form.elements[name].value = seconds(s[name]);
  }
}

function laneElement(lane) {
  if (lane.element) return lane.element;
  const section = document.createElement('section');
  section.className = 'lane';
  section.dataset.library = lane.library;
  section.innerHTML = `<div class="lane-head"><h2>${esc(lane.library)} <small>${esc(lane.version)}</small></h2>
    <span class="badge"></span><span class="figures"></span></div>
    <svg class="timeline" role="img"></svg><p class="lane-note"></p>`;
  $('lanes').appendChild(section);
  lane.element = section;
  return section;
}

/** x of dashboard time `at`, for a timeline `width` pixels wide ending now. */
function scale(width, end) {
  const span = windowMs();
  return (at) => ((at - (end - span)) / span) * width;
}

/** Each span of `spans` ({from}) from its start to the next one's (the last one to `end`), clipped on the left. */
function visible(spans, x, end) {
  return spans.flatMap((span, i) => {
    const next = spans[i + 1];
    const from = Math.max(0, x(span.from));
    const to = x(next ? next.from : end);
    return to > from ? [{ span, from: from.toFixed(1), width: (to - from).toFixed(1) }] : [];
  });
}

function serverBand(x, end) {
  return visible(model.server, x, end)
    .map(
      ({ span, from, width }) =>
        `<rect class="server" data-server="${esc(span.server)}" x="${from}" y="0" width="${width}"
          height="${SERVER_BAND}" fill="${swatch(span.server).fill}"><title>server ${esc(span.server)}</title></rect>`,
    )
    .join('');
}

function stateBand(lane, x, end) {
  return visible(lane.states, x, end)
    .map(({ span, from, width }) => {
      const s = THEME.states[span.state];
      return `<g class="state" data-state="${span.state}" data-from="${Math.round(span.from)}">
        <rect x="${from}" y="${STATE_TOP}" width="${width}" height="${STATE_BOTTOM - STATE_TOP}" fill="${s.tint}"/>
        <rect x="${from}" y="${STATE_BOTTOM - 4}" width="${width}" height="4" fill="${s.solid}"/></g>`;
    })
    .join('');
}

function callMark(call, x) {
  const cx = x(call.at);
  const mark = THEME.marks[call.outcome];
  const bar = x(call.at + call.latencyMs) - cx;
  const title = `${call.outcome}${call.trial ? ' (trial)' : ''}, ${Math.round(call.latencyMs)} ms, then ${call.state}${call.error ? `\n${call.error}` : ''}`;
  const latency =
    bar >= 4
      ? `<rect x="0" y="-1.5" width="${bar.toFixed(1)}" height="3" fill="${mark.colour}" opacity="0.5"/>`
      : '';
  return `<g class="call" data-outcome="${call.outcome}" data-at="${Math.round(call.at)}" data-trial="${call.trial}"
    transform="translate(${cx.toFixed(1)} ${MARK_Y})"><title>${esc(title)}</title>${latency}${call.trial ? THEME.trialRing : ''}${mark.shape}</g>`;
}

function figures(lane) {
  const c = lane.counts;
  const opened =
    lane.openedAfter === undefined
      ? ''
      : ` · last opened after ${lane.openedAfter} ${lane.openedAfter === 1 ? 'failed call' : 'failed calls in a row'}`;
  return `${c.calls} calls: ${c.failure} failed, ${c.rejected} rejected, ${c.trial} ${c.trial === 1 ? 'trial' : 'trials'}${opened}`;
}

function drawLane(lane, end, width) {
  const section = laneElement(lane);
  section.dataset.state = lane.state;
  section.dataset.openedAfter = lane.openedAfter === undefined ? '' : String(lane.openedAfter);
  const badge = section.querySelector('.badge');
  badge.textContent = lane.state;
  badge.style.background = THEME.states[lane.state].solid;
  section.querySelector('.figures').textContent = figures(lane);
  section.querySelector('.lane-note').textContent = lane.note;

  const x = scale(width, end);
  const start = end - windowMs();
  // Forget what scrolled out, keeping the span in force at the left edge.
  while (lane.calls.length > 0 && lane.calls[0].at + lane.calls[0].latencyMs < start - 1000) {
    lane.calls.shift();
  }
  while (lane.states.length > 1 && lane.states[1].from < start) lane.states.shift();
  lane.resets = lane.resets.filter((at) => at >= start);

  const resets = lane.resets.map((at) => {
    const rx = x(at).toFixed(1);
    return `<line x1="${rx}" x2="${rx}" y1="${STATE_TOP}" y2="${STATE_BOTTOM}" stroke="#0969da"
      stroke-dasharray="3 2"><title>new settings: a fresh breaker</title></line>`;
  });
  const calls = lane.calls.filter((call) => x(call.at) >= -10).map((call) => callMark(call, x));
  section.querySelector('svg.timeline').innerHTML =
    serverBand(x, end) + stateBand(lane, x, end) + resets.join('') + calls.join('');
}

function drawAxis(end, width) {
  const span = windowMs();
  const step = span <= 15000 ? 1000 : span <= 40000 ? 5000 : 10000;
  const x = scale(width, end);
  let svg = '';
  for (let ago = 0; ago <= span; ago += step) {
    const ax = x(end - ago).toFixed(1);
    const anchor = ago === 0 ? 'end' : ago === span ? 'start' : 'middle';
    svg += `<line x1="${ax}" x2="${ax}" y1="0" y2="4" stroke="#8c959f"/>
      <text x="${ax}" y="15" text-anchor="${anchor}">${ago === 0 ? 'now' : `-${ago / 1000} s`}</text>`;
  }
  $('axis').innerHTML = svg;
}

function draw() {
  if (!model.settings) return;
  const end = now();
  const width = $('lanes').clientWidth || 900;
  for (const lane of model.lanes.values()) drawLane(lane, end, width);
  drawAxis(end, width);
}

function legend() {
  const states = ['closed', 'open', 'half-open'].map((state) => {
    const s = THEME.states[state];
    return `<span><svg width="22" height="14"><rect width="22" height="14" fill="${s.tint}"/>
      <rect y="10" width="22" height="4" fill="${s.solid}"/></svg>${state}</span>`;
  });
  const marks = ['success', 'failure', 'rejected'].map((outcome) => {
    const mark = THEME.marks[outcome];
    return `<span><svg width="20" height="20"><g transform="translate(10 10)">${mark.shape}</g></svg>${esc(mark.meaning)}</span>`;
  });
  const trial = `<span><svg width="22" height="22"><g transform="translate(11 11)">${THEME.trialRing}${THEME.marks.success.shape}</g></svg>trial call</span>`;
  const server = `<span>top band: the server (${Object.keys(THEME.meanings).join(', ')})</span>`;
  $('legend').innerHTML = [...states, ...marks, trial, server].join('');
}

function say(text) {
  $('message').textContent = text;
}

async function post(path, body) {
  const response = await fetch(path, { method: 'POST', body });
  if (!response.ok) {
    say((await response.text()).trim());
    return false;
  }
  say('');
  return true;
}

function serverOrder(name) {
  if (name === 'slow') return 'slow=' + $('slow-ms').value;
  if (name === 'flaky') return 'flaky=' + $('flaky-rate').value;
  return name;
}

function wire() {
  for (const button of document.querySelectorAll('#server-panel button')) {
    button.addEventListener('click', () => {
      void post('/api/server', serverOrder(button.dataset.server));
    });
  }
  $('settings').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.target;
    const number = (name) =>
      form.elements[name].value.trim() === '' ? NaN : Number(form.elements[name].value);
    const changes = { failures: number('failures') };
    for (const name of ['resetTimeoutMs', 'delayMs', 'requestTimeoutMs', 'rollingWindowMs']) {
      changes[name] = Math.round(number(name) * 1000);
    }
    // NaN would travel as null: the server's message then names the field.
    void post('/api/settings', JSON.stringify(changes));
  });
  const events = new EventSource('/events');
  events.onopen = () => {
    model.connected = true;
    $('status').textContent = '';
    $('status').className = '';
  };
  events.onmessage = (message) => handle(JSON.parse(message.data));
  events.onerror = () => {
    model.connected = false;
    $('status').textContent = 'Disconnected: is npm run dashboard still running?';
    $('status').className = 'down';
  };
  legend();
  window.setInterval(draw, 100);
}

wire();
