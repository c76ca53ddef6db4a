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
import { figure, FULL, measure, QUICK, type Figure, type Subject } from './interleaved-rounds.ts';
import CircuitBreaker from 'opossum';
import { Circuit, SlidingCountBreaker } from 'mollitia';
import { isCircuitOpenError, type Breaker, type BreakerSettings } from '../src/breakers/breaker.ts';
import { cockatielPolicy } from '../src/breakers/cockatiel.ts';
import { IN_PROCESS_NAMES, LIBRARIES, type InProcessName } from '../src/libraries/registry.ts';
import { mollitiaBreakerOptions } from '../src/breakers/mollitia.ts';
import { opossumOptions } from '../src/breakers/opossum.ts';
import type { Benchmark, BenchContext, BenchOutcome } from './benchmark.ts';
import { ratio, signedPercent, withP75 } from './format.ts';
import { percentile } from './stats.ts';
import type { Table } from './table.ts';

/** The project's standard settings; the open circuits stay open for the whole run. */
const SETTINGS: BreakerSettings = { failures: 3, resetTimeoutMs: 3_600_000 };

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
    closed: await measure('overhead, closed circuits', phases.closed, plan, context),
    open: await measure('overhead, open circuits', phases.open, plan, context),
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
