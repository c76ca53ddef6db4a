import type { Fault } from '../faults/fault-proxy.ts';

/** One thing the chaos run does to the workers' links to Redis, or to Redis itself. */
export type ChaosAction =
  /** Reset every worker's connections: each reconnects at once (a blip, not an outage). */
  | { kind: 'reset-all' }
  /** Put `fault` on one worker's proxy for `forMs`, then lift it. */
  | { kind: 'fault'; worker: number; fault: Fault; forMs: number }
  /** Delete the circuit's keys, as an expiry, an eviction or a careless DEL would. */
  | { kind: 'lose-key' };

export interface ChaosStep {
  /** Milliseconds after the start of its phase. */
  atMs: number;
  action: ChaosAction;
}

/** A stretch of the run: the dependency up or down for `ms`, with faults on the way. */
export interface ChaosPhase {
  dependency: 'up' | 'down';
  /** For 'up' after an outage: at least this long, and until every worker's circuit closed. */
  ms: number;
  steps: ChaosStep[];
}

/**
 * The run, fixed so that two runs can be compared: faults while the dependency is up, during an
 * outage (latency, a blackhole and a cut-off longer than the Redis timeout, blips), a lost key
 * between two outages, and blips during the second.
 */
export function chaosSchedule(workers: number): ChaosPhase[] {
  const worker = (n: number) => ((n - 1) % workers) + 1;
  return [
    { dependency: 'up', ms: 3000, steps: [{ atMs: 1500, action: { kind: 'reset-all' } }] },
    {
      dependency: 'down',
      ms: 12_000,
      steps: [
        { atMs: 500, action: { kind: 'reset-all' } },
        {
          atMs: 1500,
          action: {
            kind: 'fault',
            worker: worker(2),
            fault: { kind: 'latency', ms: 150 },
            forMs: 3000,
          },
        },
        {
          atMs: 3000,
          action: { kind: 'fault', worker: worker(3), fault: { kind: 'blackhole' }, forMs: 2000 },
        },
        {
          atMs: 6000,
          action: { kind: 'fault', worker: worker(4), fault: { kind: 'refuse' }, forMs: 3000 },
        },
        { atMs: 10_000, action: { kind: 'reset-all' } },
      ],
    },
    { dependency: 'up', ms: 1000, steps: [{ atMs: 300, action: { kind: 'reset-all' } }] },
    { dependency: 'up', ms: 1000, steps: [{ atMs: 0, action: { kind: 'lose-key' } }] },
    {
      dependency: 'down',
      ms: 8000,
      steps: [
        { atMs: 1000, action: { kind: 'reset-all' } },
        {
          atMs: 3000,
          action: {
            kind: 'fault',
            worker: worker(1),
            fault: { kind: 'latency', ms: 100 },
            forMs: 3000,
          },
        },
        { atMs: 6000, action: { kind: 'reset-all' } },
      ],
    },
    { dependency: 'up', ms: 1000, steps: [] },
  ];
}

/** How long one cut-off worker can run on its own breaker: faults that outlast the Redis timeout. */
export function cutOffMs(action: ChaosAction, redisTimeoutMs: number): number {
  if (action.kind !== 'fault') return 0;
  switch (action.fault.kind) {
    case 'blackhole':
    case 'refuse':
      return action.forMs;
    case 'latency':
      return action.fault.ms >= redisTimeoutMs ? action.forMs : 0;
    case 'none':
      return 0;
  }
}
