/**
 * What a call through the shared circuit costs on its two hot paths, beside a bare async call and
 * cockatiel used directly, in the same interleaved rounds: a closed circuit (no Redis round trip)
 * and an open one (a rejection, the path every call takes during an outage). The bars are ratios
 * per round: closed <= 2x bare, rejection <= 10x bare and <= 0.2x cockatiel's own rejection.
 * Uses REDIS_URL when set, otherwise a private redis-server.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import { isCircuitOpenError, SharedCircuit } from 'shared-circuit';
import { startRedisServer, type RedisServer } from '../test/helpers/redis-server.ts';
import { forgetNamespace } from '../src/fleet-demo/namespace-keys.ts';
import type { Benchmark, BenchContext, BenchOutcome } from './benchmark.ts';
import { fleetPropagation } from './fleet-propagation.ts';
import { ratio, withP75 } from './format.ts';
import { figure, FULL, measure, QUICK, type Figure, type Subject } from './interleaved-rounds.ts';
import { percentile } from './stats.ts';
import type { Table } from './table.ts';

export const BARS = { closedToBare: 2, rejectionToBare: 10, rejectionToCockatiel: 0.2 };

async function resolvesAtOnce(): Promise<number> {
  return 1;
}

const down = () => Promise.reject(new Error('down'));

/** Each subject's call site is its own closure (one V8 type feedback per subject, as in overhead.ts). */
async function subjects(redisUrl: string, namespace: string) {
  const policy = async (open: boolean) => {
    const p = circuitBreaker(handleAll, {
      halfOpenAfter: 3_600_000,
      breaker: new ConsecutiveBreaker(3),
    });
    if (open) for (let i = 0; i < 3; i += 1) await p.execute(down).catch(() => {});
    return p;
  };
  const circuit = async (name: string, open: boolean) => {
    const c = new SharedCircuit({
      name,
      namespace,
      redisUrl,
      failures: 3,
      resetTimeoutMs: 3_600_000,
    });
    if ((await c.ready()) !== 'shared')
      throw new Error('the shared circuit did not connect to Redis');
    if (open) for (let i = 0; i < 3; i += 1) await c.execute(down).catch(() => {});
    if (c.state !== (open ? 'open' : 'closed'))
      throw new Error(`${name}: not ${open ? 'open' : 'closed'}`);
    return c;
  };
  const [cockatielClosed, cockatielOpen] = [await policy(false), await policy(true)];
  const [sharedClosed, sharedOpen] = [await circuit('closed', false), await circuit('open', true)];
  const noop = () => undefined;
  const closed: Subject[] = [
    { id: 'bare', call: () => resolvesAtOnce(), dispose: noop },
    { id: 'cockatiel', call: () => cockatielClosed.execute(resolvesAtOnce), dispose: noop },
    {
      id: 'shared-circuit',
      call: () => sharedClosed.execute(resolvesAtOnce),
      dispose: () => sharedClosed.dispose(),
    },
  ];
  const open: Subject[] = [
    { id: 'bare', call: () => resolvesAtOnce(), dispose: noop },
    { id: 'cockatiel', call: () => cockatielOpen.execute(resolvesAtOnce), dispose: noop },
    {
      id: 'shared-circuit',
      call: () => sharedOpen.execute(resolvesAtOnce),
      dispose: () => sharedOpen.dispose(),
    },
    // The non-throwing form: resolves to { outcome: 'rejected', error } (an Error it does not throw).
    { id: 'shared-circuit attempt', call: () => sharedOpen.attempt(resolvesAtOnce), dispose: noop },
  ];
  // A benchmark of the wrong path is worse than none: the open ones must reject, recognisably.
  const rejection = await sharedOpen.execute(resolvesAtOnce).catch((error: unknown) => error);
  if (
    !isCircuitOpenError(rejection) ||
    rejection.level !== 'fleet' ||
    rejection.retryInMs === undefined
  ) {
    throw new Error(
      `shared-circuit open: expected a recognisable rejection, got ${String(rejection)}`,
    );
  }
  return { closed, open };
}

/** a / b in each round (the two ran in the same round): median and IQR. */
function perRound(a: Figure, b: Figure) {
  const values = a.roundMedians
    .map((value, round) => value / (b.roundMedians[round] ?? Number.NaN))
    .sort((x, y) => x - y);
  const at = (p: number) => Number(percentile(values, p).toFixed(3));
  return { median: at(50), p25: at(25), p75: at(75) };
}

async function run(context: BenchContext): Promise<BenchOutcome> {
  const plan = context.quick ? QUICK : FULL;
  const loadAverage1m = Number((loadavg()[0] ?? 0).toFixed(2));
  const envUrl = process.env['REDIS_URL'];
  let server: RedisServer | undefined;
  if (envUrl === undefined || envUrl.trim() === '') server = await startRedisServer();
  const redisUrl = server?.url ?? (envUrl as string);
  const namespace = `bench-paths-${randomUUID().slice(0, 8)}`;
  try {
    const { closed, open } = await subjects(redisUrl, namespace);
    const measuredClosed = await measure('shared-circuit paths, closed', closed, plan, context);
    const measuredOpen = await measure('shared-circuit paths, open', open, plan, context);
    await Promise.all([...closed, ...open].map((subject) => subject.dispose()));
    const get = (measured: typeof measuredClosed, id: string) =>
      figure(measured.get(id) ?? { batch: 0, samples: [], roundMedians: [] });
    const c = {
      bare: get(measuredClosed, 'bare'),
      cockatiel: get(measuredClosed, 'cockatiel'),
      shared: get(measuredClosed, 'shared-circuit'),
    };
    const o = {
      bare: get(measuredOpen, 'bare'),
      cockatiel: get(measuredOpen, 'cockatiel'),
      shared: get(measuredOpen, 'shared-circuit'),
      attempt: get(measuredOpen, 'shared-circuit attempt'),
    };
    const ratios = {
      closedToBare: perRound(c.shared, c.bare),
      cockatielClosedToBare: perRound(c.cockatiel, c.bare),
      rejectionToBare: perRound(o.shared, o.bare),
      cockatielRejectionToBare: perRound(o.cockatiel, o.bare),
      rejectionToCockatiel: perRound(o.shared, o.cockatiel),
      attemptToBare: perRound(o.attempt, o.bare),
      attemptToCockatiel: perRound(o.attempt, o.cockatiel),
    };
    const iqr = (r: { median: number; p25: number; p75: number }) =>
      `${ratio(r.median)} (IQR ${ratio(r.p25)} to ${ratio(r.p75)})`;
    const ns = (f: Figure) => `${withP75(f.nsPerCall, f.spread.p75)} ns`;
    const table: Table = {
      title: `shared-circuit's hot paths (ns per call: median (p75) of ${plan.rounds} interleaved rounds)`,
      headers: [
        'path',
        'bare',
        'cockatiel',
        'shared-circuit',
        'shared ÷ bare',
        'shared ÷ cockatiel',
        'bars',
      ],
      rows: [
        [
          'closed: the call runs',
          ns(c.bare),
          ns(c.cockatiel),
          ns(c.shared),
          iqr(ratios.closedToBare),
          iqr(perRound(c.shared, c.cockatiel)),
          `<= ${BARS.closedToBare}x bare`,
        ],
        [
          'open: attempt() resolves to the rejection',
          ns(o.bare),
          ns(o.cockatiel),
          ns(o.attempt),
          iqr(ratios.attemptToBare),
          iqr(ratios.attemptToCockatiel),
          `<= ${BARS.rejectionToBare}x bare, <= ${BARS.rejectionToCockatiel}x cockatiel`,
        ],
        [
          'open: execute() rejects (thrown at the await)',
          ns(o.bare),
          ns(o.cockatiel),
          ns(o.shared),
          iqr(ratios.rejectionToBare),
          iqr(ratios.rejectionToCockatiel),
          `<= ${BARS.rejectionToBare}x bare, <= ${BARS.rejectionToCockatiel}x cockatiel`,
        ],
      ],
      note: `A call is \`execute(action)\` of an async function that resolves at once; "bare" awaits that function alone. cockatiel's rejection throws a BrokenCircuitError with a stack; the shared circuit's is one frozen CircuitOpenError per open period (guard, name, level, retryInMs read afresh), made once without a stack and handed to every rejected call; \`attempt()\` returns it as \`{ outcome: 'rejected', error }\` instead of rejecting. Ratios per round. Load average at the start: ${loadAverage1m} on a shared machine.`,
    };
    return {
      result: { method: { ...plan, bars: BARS, loadAverage1m }, closed: c, open: o, ratios },
      tables: [table],
    };
  } finally {
    await forgetNamespace(redisUrl, namespace);
    await server?.[Symbol.asyncDispose]();
  }
}

export const sharedCircuitPaths: Benchmark = {
  name: 'shared-circuit-paths',
  unavailable: () => fleetPropagation.unavailable?.() ?? Promise.resolve(undefined),
  run,
};
