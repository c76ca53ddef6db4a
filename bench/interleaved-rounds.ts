/**
 * Interleaved rounds of tinybench samples, the method every cost-per-call benchmark shares: each
 * sample a batch of sequential awaited calls, a fresh shuffled order of the subjects each round,
 * figures as medians over rounds (see overhead.ts for why).
 */
import { Bench } from 'tinybench';
import { seededRandom } from '../src/server/server-mode.ts';
import type { BenchContext } from './benchmark.ts';
import { median, roundSpread, summarize, type Spread } from './stats.ts';

export interface Plan {
  /**
   * Many short rounds rather than a few long ones: the load of other processes changes on a
   * scale of 100 ms, so the tasks compared must run close together in time.
   */
  rounds: number;
  /** Measuring time per task per round, ms. */
  timeMs: number;
  /** Warm-up time per task, first round only (the JIT keeps what it compiled). */
  warmupMs: number;
  /**
   * Target duration of one sample (a batch of sequential calls), µs: long enough that the
   * timer's own cost vanishes, short enough that most samples escape a time slice lost to
   * another process, so the median sample is the undisturbed cost.
   */
  sampleUs: number;
}

export const FULL: Plan = { rounds: 50, timeMs: 60, warmupMs: 200, sampleUs: 250 };
export const QUICK: Plan = { rounds: 2, timeMs: 10, warmupMs: 2, sampleUs: 20 };

/** One thing to measure: a call, and how to release what it holds once the run is over. */
export interface Subject {
  id: string;
  call(): Promise<unknown>;
  dispose(): void | Promise<void>;
}

/** One tinybench sample: `size` sequential awaited calls. The same loop for every subject. */
function batchOf(call: () => Promise<unknown>, size: number): () => Promise<void> {
  return async () => {
    for (let i = 0; i < size; i += 1) {
      try {
        await call();
      } catch {
        // open circuit: the rejection is what is measured
      }
    }
  };
}

/** Calls per sample so that one sample lasts about `plan.sampleUs`, from a short timed trial. */
async function calibrate(subject: Subject, plan: Plan): Promise<number> {
  const trial = batchOf(subject.call, 200);
  await trial(); // first calls compile the path
  const started = process.hrtime.bigint();
  await trial();
  const nsPerCall = Number(process.hrtime.bigint() - started) / 200;
  return Math.min(5000, Math.max(10, Math.round((plan.sampleUs * 1000) / nsPerCall)));
}

/** A fresh order each round (seeded, so runs repeat): no task always runs first or after the same one. */
function orderFor<T>(items: readonly T[], round: number): T[] {
  const random = seededRandom(round + 1);
  const order = [...items];
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as T, order[i] as T];
  }
  return order;
}

interface Measured {
  batch: number;
  /** ns per call of every sample, all rounds. */
  samples: number[];
  /** Median ns per call in each round. */
  roundMedians: number[];
}

export async function measure(
  label: string,
  subjects: readonly Subject[],
  plan: Plan,
  context: BenchContext,
): Promise<Map<string, Measured>> {
  const measured = new Map<string, Measured>();
  for (const subject of subjects) {
    measured.set(subject.id, {
      batch: await calibrate(subject, plan),
      samples: [],
      roundMedians: [],
    });
  }
  const batchFor = (id: string) => measured.get(id)?.batch ?? 1;
  for (let round = 0; round < plan.rounds; round += 1) {
    const bench = new Bench({
      time: plan.timeMs,
      warmup: round === 0,
      warmupTime: plan.warmupMs,
      warmupIterations: 2,
      iterations: 5,
      throws: true,
      // tinybench 6 keeps only the statistics unless asked; the per-call samples feed the medians.
      retainSamples: true,
    });
    for (const subject of orderFor(subjects, round)) {
      bench.add(subject.id, batchOf(subject.call, batchFor(subject.id)));
    }
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      const samples = result.state === 'completed' ? result.latency.samples : undefined;
      const entry = measured.get(task.name);
      if (!samples || !entry) throw new Error(`${task.name}: no result (${result.state})`);
      const perCall = samples.map((ms) => (ms * 1e6) / entry.batch);
      entry.samples.push(...perCall);
      entry.roundMedians.push(median(perCall));
    }
    if ((round + 1) % 10 === 0 || round + 1 === plan.rounds) {
      context.progress(`${label}: round ${round + 1}/${plan.rounds}`);
    }
  }
  return measured;
}

/**
 * A figure in ns per call: the median over rounds of each round's median sample (robust to a
 * time slice lost to another process), with the spread of all samples (mean, rme, p75, p99).
 */
export interface Figure {
  nsPerCall: number;
  callsPerSample: number;
  spread: Spread;
  roundMedians: number[];
}

export function figure(measured: Measured): Figure {
  return {
    nsPerCall: Number(median(measured.roundMedians).toFixed(1)),
    callsPerSample: measured.batch,
    spread: roundSpread(summarize(measured.samples)),
    roundMedians: measured.roundMedians.map((value) => Number(value.toFixed(1))),
  };
}
