/**
 * Cost per call: the bare call, each library used directly, each library through the project's
 * adapter, closed and open. Everything is measured in the same process, and the tasks compared
 * run in the same rounds, so the ratios hold even when the machine's speed drifts (a shared
 * 2-core box does).
 *
 * - Each tinybench sample runs a batch of sequential awaited calls: one call (tens of ns) is
 *   shorter than the timer's own cost, a batch is not.
 * - Rounds interleave the tasks (a fresh shuffled order each round), and the adapter is compared
 *   with its library within each round; the figures are medians over rounds.
 * - Closed and open circuits are measured in separate phases, each with its own bare baseline:
 *   a rejection allocates an Error, and that garbage would be collected on the time of whichever
 *   closed-circuit task ran next.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import CircuitBreaker from 'opossum';
import { Circuit, SlidingCountBreaker } from 'mollitia';
import { Bench } from 'tinybench';
import { isCircuitOpenError, type Breaker, type BreakerSettings } from '../src/breakers/breaker.ts';
import { cockatielPolicy } from '../src/breakers/cockatiel.ts';
import { IN_PROCESS_NAMES, LIBRARIES, type InProcessName } from '../src/libraries/registry.ts';
import { mollitiaBreakerOptions } from '../src/breakers/mollitia.ts';
import { opossumOptions } from '../src/breakers/opossum.ts';
import { seededRandom } from '../src/server/server-mode.ts';
import type { Benchmark, BenchContext, BenchOutcome } from './benchmark.ts';
import { ratio, signedPercent, withP75 } from './format.ts';
import { median, percentile, roundSpread, summarize, type Spread } from './stats.ts';
import type { Table } from './table.ts';

/** The project's standard settings; the open circuits stay open for the whole run. */
const SETTINGS: BreakerSettings = { failures: 3, resetTimeoutMs: 3_600_000 };

interface Plan {
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

const FULL: Plan = { rounds: 50, timeMs: 60, warmupMs: 200, sampleUs: 250 };
const QUICK: Plan = { rounds: 2, timeMs: 10, warmupMs: 2, sampleUs: 20 };

/** The action every breaker wraps: an async function that resolves at once. */
async function resolvesAtOnce(): Promise<number> {
  return 1;
}

/** An action that fails until told otherwise: opens a circuit, then behaves like `resolvesAtOnce`. */
function failingUntilOpen(): { action: () => Promise<number>; opened(): void } {
  let failing = true;
  return {
    action: () => (failing ? Promise.reject(new Error('down')) : Promise.resolve(1)),
    opened: () => (failing = false),
  };
}

type Variant = 'direct' | 'adapter';
type CircuitPosition = 'closed' | 'open';

/** One thing to measure: a call, and how to release what it holds once the run is over. */
interface Subject {
  id: string;
  call(): Promise<unknown>;
  dispose(): void | Promise<void>;
}

async function openByFailures(call: () => Promise<unknown>, failures: number): Promise<void> {
  for (let i = 0; i < failures; i += 1) await call().catch(() => undefined);
  await nextTurn(); // mollitia moves to open in an async step of its own
}

/** The library object built from the same config function the adapter uses, called directly. */
async function direct(library: InProcessName, position: CircuitPosition): Promise<Subject> {
  const failing = failingUntilOpen();
  const action = position === 'closed' ? resolvesAtOnce : failing.action;
  const id = `${library} direct ${position}`;
  let subject: Subject;
  switch (library) {
    case 'opossum': {
      const breaker = new CircuitBreaker(action, opossumOptions(SETTINGS));
      subject = { id, call: () => breaker.fire(), dispose: () => breaker.shutdown() };
      break;
    }
    case 'cockatiel': {
      const policy = cockatielPolicy(SETTINGS);
      subject = { id, call: () => policy.execute(action), dispose: () => undefined };
      break;
    }
    case 'mollitia': {
      const breaker = new SlidingCountBreaker(mollitiaBreakerOptions(SETTINGS));
      const circuit = new Circuit({ func: action, options: { modules: [breaker] } });
      subject = { id, call: () => circuit.execute(), dispose: () => circuit.dispose() };
      break;
    }
  }
  if (position === 'open') {
    await openByFailures(subject.call, SETTINGS.failures);
    failing.opened();
  }
  return subject;
}

/** The same library through the project's adapter (`src/breakers/<library>.ts`). */
async function adapter(library: InProcessName, position: CircuitPosition): Promise<Subject> {
  const breaker = LIBRARIES[library].create(SETTINGS);
  const failing = failingUntilOpen();
  if (position === 'open') {
    await openByFailures(() => breaker.execute(failing.action), SETTINGS.failures);
    if (breaker.state !== 'open') throw new Error(`${library} adapter did not open`);
  }
  return {
    id: `${library} adapter ${position}`,
    call: ADAPTER_CALLS[library](breaker),
    dispose: () => breaker.dispose(),
  };
}

/**
 * One call site per library, as `direct()` has: closures made from one function literal share
 * V8's type feedback, so a single `() => breaker.execute(...)` for all three adapters would be a
 * megamorphic call that the direct calls do not pay, and the comparison would not be fair.
 */
const ADAPTER_CALLS: Record<InProcessName, (breaker: Breaker) => () => Promise<unknown>> = {
  opossum: (breaker) => () => breaker.execute(resolvesAtOnce),
  cockatiel: (breaker) => () => breaker.execute(resolvesAtOnce),
  mollitia: (breaker) => () => breaker.execute(resolvesAtOnce),
};

/** Fails loudly if a subject does not do what its name says: a benchmark of the wrong path is worse than none. */
async function check(subject: Subject, position: CircuitPosition, variant: Variant): Promise<void> {
  const outcome = await subject.call().then(
    () => 'resolved' as const,
    (error: unknown) => error,
  );
  if (position === 'closed' && outcome !== 'resolved') {
    throw new Error(`${subject.id}: expected the call to resolve, got ${String(outcome)}`);
  }
  if (position === 'open') {
    if (outcome === 'resolved') throw new Error(`${subject.id}: expected a rejection`);
    if (variant === 'adapter' && !isCircuitOpenError(outcome)) {
      throw new Error(`${subject.id}: expected CircuitOpenError, got ${String(outcome)}`);
    }
  }
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

async function measure(
  phase: CircuitPosition,
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
      context.progress(`overhead, ${phase} circuits: round ${round + 1}/${plan.rounds}`);
    }
  }
  return measured;
}

/**
 * A figure in ns per call: the median over rounds of each round's median sample (robust to a
 * time slice lost to another process), with the spread of all samples (mean, rme, p75, p99).
 */
interface Figure {
  nsPerCall: number;
  callsPerSample: number;
  spread: Spread;
  roundMedians: number[];
}

function figure(measured: Measured): Figure {
  return {
    nsPerCall: Number(median(measured.roundMedians).toFixed(1)),
    callsPerSample: measured.batch,
    spread: roundSpread(summarize(measured.samples)),
    roundMedians: measured.roundMedians.map((value) => Number(value.toFixed(1))),
  };
}

interface Overhead {
  /** Median over rounds of (adapter / direct - 1), in percent. */
  median: number;
  /** Interquartile range of the same per-round figures. */
  p25: number;
  p75: number;
}

/** adapter / direct - 1 in each round, in percent: the two ran next to each other. */
function overheadPercent(adapterFigure: Figure, directFigure: Figure): Overhead {
  const perRound = adapterFigure.roundMedians
    .map((value, round) => (value / (directFigure.roundMedians[round] ?? Number.NaN) - 1) * 100)
    .sort((a, b) => a - b);
  return {
    median: Number(percentile(perRound, 50).toFixed(2)),
    p25: Number(percentile(perRound, 25).toFixed(2)),
    p75: Number(percentile(perRound, 75).toFixed(2)),
  };
}

/** The adapter may add at most this much over the library used directly (issue 5). */
export const ADAPTER_OVERHEAD_BAR_PERCENT = 10;

async function run(context: BenchContext): Promise<BenchOutcome> {
  const plan = context.quick ? QUICK : FULL;
  const bare: Subject = { id: 'bare', call: resolvesAtOnce, dispose: () => undefined };
  const phases = { closed: [bare], open: [bare] };
  for (const library of IN_PROCESS_NAMES) {
    for (const position of ['closed', 'open'] as const) {
      for (const variant of ['direct', 'adapter'] as const) {
        const subject = await (variant === 'direct' ? direct : adapter)(library, position);
        await check(subject, position, variant);
        phases[position].push(subject);
      }
    }
  }
  const measured = {
    closed: await measure('closed', phases.closed, plan, context),
    open: await measure('open', phases.open, plan, context),
  };
  await Promise.all([...phases.closed, ...phases.open].map((subject) => subject.dispose()));

  const get = (phase: CircuitPosition, id: string): Figure => {
    const entry = measured[phase].get(id);
    if (!entry) throw new Error(`${id}: not measured`);
    return figure(entry);
  };
  const bareFigure = get('closed', 'bare');
  const bareInOpenPhase = get('open', 'bare');
  const toBare = (value: number) => Number((value / bareFigure.nsPerCall).toFixed(2));
  const toBareInOpenPhase = (value: number) =>
    Number((value / bareInOpenPhase.nsPerCall).toFixed(2));
  const rows = IN_PROCESS_NAMES.map((library) => {
    const closed = {
      direct: get('closed', `${library} direct closed`),
      adapter: get('closed', `${library} adapter closed`),
    };
    const open = {
      direct: get('open', `${library} direct open`),
      adapter: get('open', `${library} adapter open`),
    };
    return {
      library,
      version: LIBRARIES[library].version,
      bareNsPerCall: bareFigure.nsPerCall,
      directNsPerCall: closed.direct.nsPerCall,
      adapterNsPerCall: closed.adapter.nsPerCall,
      directRatioToBare: toBare(closed.direct.nsPerCall),
      adapterRatioToBare: toBare(closed.adapter.nsPerCall),
      adapterOverheadPercent: overheadPercent(closed.adapter, closed.direct),
      spread: { bare: bareFigure, direct: closed.direct, adapter: closed.adapter },
      open: {
        directNsPerRejection: open.direct.nsPerCall,
        adapterNsPerRejection: open.adapter.nsPerCall,
        bareNsPerCall: bareInOpenPhase.nsPerCall,
        directRatioToBare: toBareInOpenPhase(open.direct.nsPerCall),
        adapterRatioToBare: toBareInOpenPhase(open.adapter.nsPerCall),
        adapterOverheadPercent: overheadPercent(open.adapter, open.direct),
        spread: { bare: bareInOpenPhase, direct: open.direct, adapter: open.adapter },
      },
    };
  });

  const range = (overhead: Overhead) =>
    `${signedPercent(overhead.median)} (${signedPercent(overhead.p25)} to ${signedPercent(overhead.p75)})`;
  const closedTable: Table = {
    title: `Cost per call, closed circuit (ns per call: median (p75) of ${plan.rounds} interleaved rounds)`,
    headers: ['library', 'direct', '× bare', 'adapter', '× bare', 'adapter vs direct (IQR)'],
    rows: rows.map((row) => [
      row.library,
      withP75(row.directNsPerCall, row.spread.direct.spread.p75),
      ratio(row.directRatioToBare),
      withP75(row.adapterNsPerCall, row.spread.adapter.spread.p75),
      ratio(row.adapterRatioToBare),
      range(row.adapterOverheadPercent),
    ]),
    note: `Bare call of the same async function: ${withP75(bareFigure.nsPerCall, bareFigure.spread.p75)} ns. Bar: the adapter adds <= ${ADAPTER_OVERHEAD_BAR_PERCENT}% over the library used directly.`,
  };
  const openTable: Table = {
    title: `Cost of a rejection, open circuit (ns per rejected call: median (p75) of ${plan.rounds} interleaved rounds)`,
    headers: ['library', 'direct', '× bare', 'adapter', '× bare', 'adapter vs direct (IQR)'],
    rows: rows.map((row) => [
      row.library,
      withP75(row.open.directNsPerRejection, row.open.spread.direct.spread.p75),
      ratio(row.open.directRatioToBare),
      withP75(row.open.adapterNsPerRejection, row.open.spread.adapter.spread.p75),
      ratio(row.open.adapterRatioToBare),
      range(row.open.adapterOverheadPercent),
    ]),
    note: `Bare call in this phase: ${withP75(bareInOpenPhase.nsPerCall, bareInOpenPhase.spread.p75)} ns. The adapter turns each library rejection into a CircuitOpenError (cause: the library error): one more Error object, without a stack of its own (the cause has one).`,
  };
  return {
    result: {
      method: {
        settings: { failures: SETTINGS.failures, resetTimeoutMs: SETTINGS.resetTimeoutMs },
        ...plan,
        figure:
          'nsPerCall = median over rounds of the median sample; spread = all samples; overhead = per-round adapter/direct',
        barPercent: ADAPTER_OVERHEAD_BAR_PERCENT,
      },
      rows,
    },
    tables: [closedTable, openTable],
  };
}

export const overhead: Benchmark = { name: 'overhead', run };
