/**
 * One run of `bench/keyed-circuits.ts`, in a process of its own so its heap holds nothing else.
 * Run with --expose-gc and REDIS_URL set:
 *
 *   node --expose-gc --import tsx bench/keyed-circuits-child.ts <keys> <rounds> <samples per round>
 *
 * Prints one JSON line: heap per keyed circuit, the Redis connections the keys opened (counted by
 * Redis, CLIENT LIST), and the closed-path cost of a keyed circuit next to cockatiel used directly.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { cockatielPolicy } from '../src/breakers/cockatiel.ts';
import { SharedCircuits } from 'shared-circuit';
import { seededRandom } from '../src/server/server-mode.ts';
import { deleteNamespace } from '../test/helpers/redis-namespace.ts';
import { median, percentile } from './stats.ts';

const [keysText, roundsText, samplesText] = process.argv.slice(2);
const count = Number(keysText);
const rounds = Number(roundsText);
const samples = Number(samplesText);
const redisUrl = process.env['REDIS_URL'];
if (!redisUrl || ![count, rounds, samples].every((n) => Number.isInteger(n) && n >= 1)) {
  console.error('usage: REDIS_URL=... keyed-circuits-child.ts <keys> <rounds> <samples per round>');
  process.exit(2);
}
const gc = globalThis.gc;
if (!gc) throw new Error('run with --expose-gc');

/** The project's standard settings; nothing fails, so every circuit stays closed. */
const SETTINGS = { failures: 3, resetTimeoutMs: 60_000 };
const namespace = `bench-keyed-${process.pid}`;

async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i += 1) {
    await nextTurn();
    gc?.();
  }
  return process.memoryUsage().heapUsed;
}

/** Connections of this process's circuits, as Redis lists them: `id name` pairs. */
async function circuitConnections(admin: Redis): Promise<Set<string>> {
  const list = (await admin.client('LIST')) as string;
  const ids = new Set<string>();
  for (const line of list.split('\n')) {
    const id = /^id=(\d+) /.exec(line)?.[1];
    const name = / name=(\S*)/.exec(line)?.[1] ?? '';
    if (id && name.startsWith('shared-circuit')) ids.add(`${id} ${name}`);
  }
  return ids;
}

async function resolvesAtOnce(): Promise<number> {
  return 1;
}

const admin = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
const before = await circuitConnections(admin);

// One registry and one key first, so what the modules allocate once is not charged to the keys.
const warm = new SharedCircuits({ ...SETTINGS, namespace, redisUrl, log: () => {} });
await warm.get('warm-up').ready();
const baseHeap = await settledHeap();

const circuits = warm;
const keys = Array.from({ length: count }, (_, index) => `host-${index}.example.com`);
const started = performance.now();
const modes = await Promise.all(keys.map((key) => circuits.get(key).ready()));
const setupMs = performance.now() - started;
if (modes.some((mode) => mode !== 'shared')) throw new Error('a keyed circuit did not reach Redis');
const heapBytesPerCircuit = ((await settledHeap()) - baseHeap) / count;
const opened = [...(await circuitConnections(admin))].filter((id) => !before.has(id));

// Closed path: the same awaited loop for every subject, interleaved in a fresh order each round.
// Against the keys in turn, cockatiel gets the same: a policy per key in a Map, in turn.
const policy = cockatielPolicy(SETTINGS);
const policies = new Map(keys.map((key) => [key, cockatielPolicy(SETTINGS)]));
const hot = keys[0] ?? 'warm-up';
let next = 0;
let nextPolicy = 0;
const subjects: Record<string, () => Promise<unknown>> = {
  bare: () => resolvesAtOnce(),
  cockatiel: () => policy.execute(resolvesAtOnce),
  'keyed, one key': () => circuits.get(hot).execute(resolvesAtOnce),
  'cockatiel, a policy per key in turn': () => {
    nextPolicy = nextPolicy + 1 === count ? 0 : nextPolicy + 1;
    return (policies.get(keys[nextPolicy] ?? hot) ?? policy).execute(resolvesAtOnce);
  },
  'keyed, every key in turn': () => {
    next = next + 1 === count ? 0 : next + 1;
    return circuits.get(keys[next] ?? hot).execute(resolvesAtOnce);
  },
};
/** What each keyed subject is compared with. */
const BASELINE: Record<string, string> = {
  'keyed, one key': 'cockatiel',
  'keyed, every key in turn': 'cockatiel, a policy per key in turn',
};
const names = Object.keys(subjects);
const BATCH = 2000;

async function sample(call: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < BATCH; i += 1) await call();
  return Number(process.hrtime.bigint() - start) / BATCH;
}

for (const name of names) for (let i = 0; i < 20; i += 1) await sample(subjects[name]!); // JIT
const perRound: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
for (let round = 0; round < rounds; round += 1) {
  const random = seededRandom(round + 1);
  const order = [...names].sort(() => random() - 0.5);
  for (const name of order) {
    const taken: number[] = [];
    for (let i = 0; i < samples; i += 1) taken.push(await sample(subjects[name]!));
    perRound[name]!.push(median(taken));
  }
}
const ratioToCockatiel = (name: string, baseline: string) => {
  const ratios = perRound[name]!.map((ns, round) => ns / (perRound[baseline]![round] ?? NaN));
  ratios.sort((a, b) => a - b);
  return {
    median: Number(percentile(ratios, 50).toFixed(3)),
    p25: Number(percentile(ratios, 25).toFixed(3)),
    p75: Number(percentile(ratios, 75).toFixed(3)),
  };
};
const costs = names.map((name) => ({
  subject: name,
  nsPerCall: Number(median(perRound[name]!).toFixed(1)),
  roundMedians: perRound[name]!.map((ns) => Number(ns.toFixed(1))),
  ...(BASELINE[name] === undefined
    ? {}
    : { comparedWith: BASELINE[name], ratio: ratioToCockatiel(name, BASELINE[name]) }),
}));

await circuits.dispose();
await deleteNamespace(redisUrl, namespace); // SCAN, not KEYS: the Redis may be a shared one
admin.disconnect();
console.log(
  JSON.stringify({
    keys: count,
    setupMs: Number(setupMs.toFixed(1)),
    heapBytesPerCircuit: Math.round(heapBytesPerCircuit),
    connections: opened.length,
    connectionNames: opened.map((id) => id.split(' ')[1]).sort(),
    callsPerSample: BATCH,
    rounds,
    samplesPerRound: samples,
    costs,
  }),
);
