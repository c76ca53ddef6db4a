import { LIBRARIES } from '../breakers/libraries.ts';
import { LIBRARY_NAMES, type BreakerLibrary } from '../breakers/breaker.ts';
import { fleetLibrary, isFleetOptionsError } from '../fleet/index.ts';
import { statePainter } from '../report/color.ts';
import { formatJsonTrace } from '../report/json-trace.ts';
import { formatSeedRuns } from '../report/seed-format.ts';
import { departureLines, summaryTable, tableHeader, tableRow } from '../report/side-by-side.ts';
import { writeTimelineReport } from '../report/timeline-html.ts';
import { runScenario } from '../scenario/run-scenario.ts';
import { formatSchedule } from '../scenario/scenario.ts';
import { LAB_USAGE, parseLabOptions } from './lab-options.ts';
import { isMain, runMain } from './main-guard.ts';
import { UsageError } from './usage-error.ts';

/** `npm start`: the lab. Argument parsing and wiring only; the work is in scenario/ and report/. */
export async function main(argv: readonly string[]): Promise<number> {
  const options = parseLabOptions(argv, [...LIBRARY_NAMES, 'fleet'], [...LIBRARY_NAMES]);
  if (options.help) {
    console.log(LAB_USAGE);
    return 0;
  }
  const { scenario } = options;
  const libraries: BreakerLibrary[] = options.libraries.map((name) =>
    name === 'fleet' ? fleetFromEnvironment() : LIBRARIES[name as keyof typeof LIBRARIES],
  );
  const paint = statePainter(process.stdout);
  const names = libraries.map((library) => library.name);
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once('SIGINT', onSigint);

  if (options.output === 'table') {
    console.log(
      `Scenario: ${formatSchedule(scenario.schedule)}; open after ${scenario.failures} failures, ` +
        `${scenario.resetTimeout} s open, ${scenario.delay} s between calls, ` +
        `${scenario.requestTimeout} s request timeout, speed ${scenario.speed}x` +
        (scenario.concurrency > 1 ? `, ${scenario.concurrency} callers per call` : ''),
    );
    console.log(tableHeader(names));
  }
  try {
    const trace = await runScenario({
      scenario,
      libraries,
      port: options.port,
      signal: interrupt.signal,
      onEvent: (event) => {
        if (options.output === 'table' && event.type === 'call')
          console.log(tableRow(event, names, paint));
      },
    });
    if (options.output === 'json') console.log(formatJsonTrace(trace));
    if (options.output === 'seed') console.log(formatSeedRuns(trace));
    if (options.output === 'table') {
      if (trace.interrupted) console.log('Interrupted: the summary covers the calls made so far.');
      console.log(`\n${summaryTable(trace)}`);
      const departures = departureLines(trace);
      if (departures.length > 0) console.log(`\n${departures.join('\n')}`);
    }
    if (options.report) {
      await writeTimelineReport(trace, options.report);
      if (options.output !== 'json') console.log(`\nTimeline report written to ${options.report}`);
    }
    return trace.interrupted ? 130 : 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** The shared circuit on $REDIS_URL, checked before the run starts: a malformed URL is bad input. */
function fleetFromEnvironment(): BreakerLibrary {
  try {
    return fleetLibrary();
  } catch (error) {
    if (isFleetOptionsError(error)) throw new UsageError(`--library fleet: ${error.message}`);
    throw error;
  }
}

if (isMain(import.meta.url)) await runMain(() => main(process.argv.slice(2)));
