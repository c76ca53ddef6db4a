/**
 * One measurement of `bench/many-circuits.ts`, in a process of its own so that its exit tells
 * whether the breakers let the process end. Run with --expose-gc:
 *
 *   node --expose-gc --import tsx bench/many-circuits-child.ts <library> <closed|open> <abandon|dispose> <count> <idle ms>
 *
 * Prints one JSON line, then simply returns: whatever the breakers still hold decides when the
 * process exits.
 */
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { installTimerCensus } from './timer-census.ts';

// Before any library runs, so every timer they create is counted.
const countTimers = installTimerCensus();
const { LIBRARIES } = await import('../src/libraries/registry.ts');
const { IN_PROCESS_NAMES } = await import('../src/libraries/registry.ts');
type Breaker = import('../src/breakers/breaker.ts').Breaker;

const [library, position, cleanup, countText, idleText] = process.argv.slice(2);
const count = Number(countText);
const idleMs = Number(idleText);
if (
  !IN_PROCESS_NAMES.some((name) => name === library) ||
  (position !== 'closed' && position !== 'open') ||
  (cleanup !== 'abandon' && cleanup !== 'dispose') ||
  !Number.isInteger(count) ||
  count < 1 ||
  !Number.isInteger(idleMs) ||
  idleMs < 0
) {
  console.error(
    'usage: many-circuits-child.ts <opossum|cockatiel|mollitia> <closed|open> <abandon|dispose> <count> <idle ms>',
  );
  process.exit(2);
}
const gc = globalThis.gc;
if (!gc) throw new Error('run with --expose-gc');
const factory = LIBRARIES[library as keyof typeof LIBRARIES];

/** The project's standard settings; the reset timeout outlasts the wait for exit, so it shows. */
const SETTINGS = { failures: 3, resetTimeoutMs: 60_000 };
const fail = () => Promise.reject(new Error('down'));

async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i += 1) {
    await nextTurn();
    gc?.();
  }
  return process.memoryUsage().heapUsed;
}

function resourcesByType(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

async function openAll(breakers: readonly Breaker[]): Promise<void> {
  for (const breaker of breakers) {
    for (let i = 0; i < SETTINGS.failures; i += 1) await breaker.execute(fail).catch(() => {});
  }
  await nextTurn();
  const notOpen = breakers.filter((breaker) => breaker.state !== 'open').length;
  if (notOpen > 0) throw new Error(`${library}: ${notOpen} breakers did not open`);
}

// One breaker first, so code the library allocates once is not charged to the 10,000.
const first = factory.create(SETTINGS);
await first.execute(() => Promise.resolve(1));
await first.dispose();

const baseHeap = await settledHeap();
const baseTimers = countTimers();
const baseResources = resourcesByType();
const started = performance.now();
let breakers: Breaker[] = Array.from({ length: count }, () => factory.create(SETTINGS));
if (position === 'open') await openAll(breakers);
const setupMs = performance.now() - started;
const heldHeap = (await settledHeap()) - baseHeap;
const timers = countTimers();
const resources = resourcesByType();

// CPU spent while the program does nothing: what the breakers' own timers cost in the background.
// 0 ms skips it (the dispose runs set up the same breakers as the abandon runs).
const cpuBefore = process.cpuUsage();
if (idleMs > 0) await sleep(idleMs);
const cpu = process.cpuUsage(cpuBefore);
const idleCpuPercent = idleMs > 0 ? ((cpu.user + cpu.system) / 1000 / idleMs) * 100 : null;

if (cleanup === 'dispose') await Promise.all(breakers.map((breaker) => breaker.dispose()));
const timersAfterCleanup = countTimers();
// Dropping the references is the point: the heap below is measured without them.
// eslint-disable-next-line no-useless-assignment
breakers = [];
const retainedHeap = (await settledHeap()) - baseHeap;

const minus = (now: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(now)
      .map(([type, n]) => [type, n - (before[type] ?? 0)] as const)
      .filter(([, n]) => n !== 0),
  );

console.log(
  JSON.stringify({
    library,
    position,
    cleanup,
    count,
    setupMs: Number(setupMs.toFixed(1)),
    heapBytesPerBreaker: Math.round(heldHeap / count),
    timers: { live: timers.live - baseTimers.live, refd: timers.refd - baseTimers.refd },
    activeResources: minus(resources, baseResources),
    idleCpuPercent: idleCpuPercent === null ? null : Number(idleCpuPercent.toFixed(2)),
    timersAfterCleanup: {
      live: timersAfterCleanup.live - baseTimers.live,
      refd: timersAfterCleanup.refd - baseTimers.refd,
    },
    retainedBytesPerBreaker: Math.round(retainedHeap / count),
  }),
);
