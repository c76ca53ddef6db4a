/**
 * Measures how closely opossum agrees with the reference under each candidate setting: the
 * reference corpus (test/fixtures/reference, call by call) and the behaviour matrix's scenarios
 * (those in the corpus, and the others, concurrent-trial and ignored-404, as the matrix judges them). The adapter keeps the setting that agrees most (src/breakers/opossum.ts).
 *
 *   npx tsx scripts/opossum-settings.ts [runs]     # default 3 runs, about 80 s each
 */
import { opossumTuned, type OpossumTuning } from '../src/breakers/opossum.ts';
import { loadReferenceFixtures } from '../src/conformance/reference-fixture.ts';
import { runConformance } from '../src/conformance/run-conformance.ts';
import { loadScenarioFolder, runMatrix } from '../src/matrix/run-matrix.ts';
import type { Mismatch } from '../src/conformance/run-conformance.ts';

const CANDIDATES: { label: string; tuning: OpossumTuning }[] = [
  { label: '99%, volume N, 10 s window', tuning: { errorThresholdPercentage: 99 } },
  { label: '50%, volume N, 10 s window', tuning: { errorThresholdPercentage: 50 } },
  { label: '75%, volume N, 10 s window', tuning: { errorThresholdPercentage: 75 } },
  { label: '25%, volume N, 10 s window', tuning: { errorThresholdPercentage: 25 } },
  {
    label: '99%, volume N, window = reset timeout',
    tuning: { errorThresholdPercentage: 99, windowInResetTimeouts: 1 },
  },
  {
    label: '50%, volume N, window = reset timeout',
    tuning: { errorThresholdPercentage: 50, windowInResetTimeouts: 1 },
  },
  {
    label: '50%, volume N, window = 2 reset timeouts',
    tuning: { errorThresholdPercentage: 50, windowInResetTimeouts: 2 },
  },
  {
    label: '99%, volume N, window = 2 reset timeouts',
    tuning: { errorThresholdPercentage: 99, windowInResetTimeouts: 2 },
  },
  {
    label: '50%, volume N, window = 3 reset timeouts',
    tuning: { errorThresholdPercentage: 50, windowInResetTimeouts: 3 },
  },
  {
    label: '50%, volume N, window = 4 reset timeouts',
    tuning: { errorThresholdPercentage: 50, windowInResetTimeouts: 4 },
  },
];

const libraries = CANDIDATES.map((candidate) =>
  opossumTuned(`opossum ${candidate.label}`, candidate.tuning),
);
const fixtures = loadReferenceFixtures();
// The corpus holds every matrix scenario the reference can express; the others run as the matrix runs them.
const inCorpus = fixtures.filter(
  (fixture) => fixture.name.startsWith('scenario-') || fixture.name === 'seed',
);
const files = loadScenarioFolder('scenarios').filter(
  (file) =>
    !fixtures.some((fixture) => fixture.name === `scenario-${file.id}`) && file.id !== 'seed',
);

const RUNS = Number(process.argv[2] ?? 3);

interface Figures {
  fixtures: number;
  calls: number;
  matrix: number;
}

const measured = new Map<string, Figures[]>();
for (let run = 1; run <= RUNS; run += 1) {
  const [corpus, matrices] = await Promise.all([
    runConformance({ fixtures, libraries }),
    Promise.all(libraries.map((library) => runMatrix({ files, libraries: [library], speed: 10 }))),
  ]);
  libraries.forEach((library, index) => {
    const result = corpus.libraries[library.name];
    const rows = matrices[index] ?? [];
    const missed = new Set(result?.mismatches.map((mismatch) => mismatch.fixture));
    const figures: Figures = {
      fixtures: result?.matched ?? 0,
      calls: callsBeforeFirstDifference(result?.mismatches ?? []),
      matrix:
        inCorpus.filter((fixture) => !missed.has(fixture.name)).length +
        rows.filter((row) => !row.cells.get(library.name)?.surprise).length,
    };
    measured.set(library.name, [...(measured.get(library.name) ?? []), figures]);
  });
  console.error(`run ${run}/${RUNS} done`);
}

const totalCalls = fixtures.reduce((sum, fixture) => sum + fixture.calls.length, 0);
const matrixScenarios = inCorpus.length + files.length;
console.log(
  `Mean (lowest-highest) of ${RUNS} runs; corpus: ${fixtures.length} fixtures, ${totalCalls} calls; ` +
    `matrix: ${matrixScenarios} scenarios (${inCorpus.length} in the corpus, the others as the matrix judges them).`,
);
console.log('');
console.log(
  '| opossum setting | corpus fixtures matched | corpus calls before the first difference | matrix scenarios as the reference |',
);
console.log('| --- | ---: | ---: | ---: |');
CANDIDATES.forEach((candidate, index) => {
  const runs = measured.get(libraries[index]?.name ?? '') ?? [];
  const cell = (pick: (figures: Figures) => number, total: number) => {
    const values = runs.map(pick);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    return `${mean.toFixed(1)} / ${total} (${Math.min(...values)}-${Math.max(...values)})`;
  };
  console.log(
    `| ${candidate.label} | ${cell((f) => f.fixtures, fixtures.length)} | ${cell((f) => f.calls, totalCalls)} | ${cell((f) => f.matrix, matrixScenarios)} |`,
  );
});

/**
 * Calls in agreement: every call of a matched fixture, and the calls before the first difference
 * of the others (after it, the runs are no longer comparable call by call).
 */
function callsBeforeFirstDifference(mismatches: readonly Mismatch[]): number {
  const lost = mismatches.reduce((sum, mismatch) => {
    const fixture = fixtures.find((candidate) => candidate.name === mismatch.fixture);
    return sum + (fixture ? fixture.calls.length - mismatch.call + 1 : 0);
  }, 0);
  return fixtures.reduce((sum, fixture) => sum + fixture.calls.length, 0) - lost;
}
