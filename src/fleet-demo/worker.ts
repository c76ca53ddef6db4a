/**
 * One process of the fleet demo (started by fleet-run.ts, not by hand): calls the mock server every
 * interval through its circuit, reports transitions as they happen and every call when told to stop.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Breaker } from '../breakers/breaker.ts';
import { callThrough } from '../breakers/call-through.ts';
import { cockatiel } from '../breakers/cockatiel.ts';
import { sharedBreaker } from '../breakers/shared-circuit.ts';
import { fetchGreeting } from '../http/fetch-greeting.ts';
import { SharedCircuit } from 'shared-circuit';
import {
  epochNow,
  type WorkerCall,
  type ParentMessage,
  type TransitionRecord,
  type WorkerConfig,
  type WorkerMessage,
} from './worker-protocol.ts';

const config = readConfig();
let finished = false;
// The parent is gone (interrupted, crashed): so is the demo. Our own disconnect at the end is not that.
process.on('disconnect', () => {
  if (!finished) process.exit(1);
});

const send = (message: WorkerMessage) => process.send?.(message);
const settings = { failures: config.failures, resetTimeoutMs: config.resetTimeoutMs };
const shared =
  config.mode === 'shared'
    ? new SharedCircuit({
        ...settings,
        name: config.circuit,
        namespace: config.namespace,
        redisUrl: config.redisUrl,
        log: (line) => console.error(`worker ${config.index}: ${line}`),
      })
    : undefined;
const breaker: Breaker = shared ? sharedBreaker(shared) : cockatiel.create(settings);

if (config.events && shared) shared.onEvent((event) => send({ type: 'event', event }));

const calls: WorkerCall[] = [];
const transitions: TransitionRecord[] = [];
breaker.onStateChange((to) => {
  const at = epochNow();
  transitions.push({ at, to });
  send({ type: 'state', at, to });
});

let stopping = false;
let startAt: number | undefined;
process.on('message', (message: ParentMessage) => {
  if (message.type === 'start') startAt = message.at;
  if (message.type === 'stop') stopping = true;
});

let fellBack = false;
const checkFallBack = () => {
  if (shared?.mode === 'local') fellBack = true;
};
if (shared) await shared.ready();
checkFallBack();
send({ type: 'ready' });

while (startAt === undefined && !stopping) await sleep(5);
let next = (startAt ?? epochNow()) + config.offsetMs;
while (!stopping) {
  const wait = next - epochNow();
  if (wait > 0) await sleep(wait);
  if (stopping) break;
  await callOnce();
  checkFallBack();
  // Fixed rate; a call that overran skips the ticks it missed rather than bunching up.
  next += config.intervalMs * Math.max(1, Math.ceil((epochNow() - next) / config.intervalMs));
}

// Wait until the report is written to the channel: disconnecting first could drop it.
await new Promise<void>((resolve) => {
  const message: WorkerMessage = { type: 'done', calls, transitions, fellBack };
  if (process.send) process.send(message, undefined, undefined, () => resolve());
  else resolve();
});
await breaker.dispose();
finished = true;
process.disconnect();

async function callOnce(): Promise<void> {
  const at = epochNow();
  const { outcome, trial, foreign } = await callThrough(breaker, () =>
    fetchGreeting(config.serverUrl, {
      timeoutMs: config.requestTimeoutMs,
      client: `worker-${config.index}`,
    }),
  );
  // The demo's figures count failures and rejections; no error filter, so nothing is `ignored`.
  calls.push({
    at,
    outcome: outcome === 'ignored' ? 'failure' : outcome,
    trial,
    ...(foreign && { foreign }),
  });
}

function readConfig(): WorkerConfig {
  const raw = process.env['FLEET_WORKER'];
  if (raw === undefined || !process.send) {
    console.error('worker.ts is started by `npm run fleet`, not by hand');
    process.exit(2);
  }
  return JSON.parse(raw) as WorkerConfig;
}
