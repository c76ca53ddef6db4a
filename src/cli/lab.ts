import { randomUUID } from 'node:crypto';
import { noRateRule } from '../breakers/departure.ts';
import { describeHalfOpen } from '../breakers/half-open.ts';
import { forgetNamespace } from '../fleet-demo/namespace-keys.ts';
import { redisUrlFromEnv } from '../fleet-demo/redis-availability.ts';
import { libraryNamed } from '../libraries/registry.ts';
import { statePainter } from '../report/terminal/color.ts';
import { formatJsonTrace } from '../report/json-trace.ts';
import { formatSeedRuns } from '../report/seed/seed-runs.ts';
import {
  departureLines,
  serverColumnWidth,
  summaryTable,
  tableHeader,
  tableRow,
} from '../report/terminal/side-by-side.ts';
import { writeTimelineReport } from '../report/timeline/page.ts';
import { checkReportPath, reportPathFrom } from '../report/timeline/report-path.ts';
import { ROLLING_WINDOW_SECONDS, runScenario } from '../scenario/run-scenario.ts';
import { describeFailureRate, formatSchedule } from '../scenario/scenario.ts';
import { ServerSwitch } from '../server/server-switch.ts';
import { LAB_COMMAND, parseLabOptions } from './lab-options.ts';
import { isMain, runMain } from './main-guard.ts';
import { fromOption } from './option-context.ts';

/** `npm start`: the lab. Argument parsing and wiring only; the work is in scenario/ and report/. */
export async function main(argv: readonly string[]): Promise<number> {
  const options = parseLabOptions(argv);
  if (options.help) return LAB_COMMAND.printHelp();
  const { scenario } = options;
  // The shared circuit's keys go in a namespace of the run's own, deleted when it ends.
  const fleetNamespace = `lab-${randomUUID().slice(0, 8)}`;
  const libraries = options.libraries.map((name) =>
    fromOption(`--library ${name}`, () => libraryNamed(name, fleetNamespace)),
  );
  // Checked before the run, not after it: a bad path must not cost the run.
  const report = options.report === undefined ? undefined : reportPathFrom(options.report);
  if (report !== undefined) fromOption('--report', () => checkReportPath(report));
  // The port too: a taken one is the only line printed, not an error after the table's header.
  await using server = await ServerSwitch.create({ port: options.port });
  const paint = statePainter(process.stdout);
  const names = libraries.map((library) => library.name);
  const serverWidth = serverColumnWidth(scenario.schedule);
  const interrupt = new AbortController();
  // `on`, not `once`: Ctrl-C reaches the lab twice, from the terminal and relayed by npm, and a
  // second SIGINT with no listener left would kill it before the summary is out.
  const onSigint = () => interrupt.abort();
  process.on('SIGINT', onSigint);

  if (options.output === 'table') {
    console.log(
      `Scenario: ${formatSchedule(scenario.schedule)}; open after ${scenario.failures} consecutive failures` +
        (scenario.failureRate ? ` ${describeFailureRate(scenario.failureRate)}` : '') +
        (scenario.minProcesses === undefined
          ? ''
          : ` (the shared circuit: from ${scenario.minProcesses} processes)`) +
        ', ' +
        `${scenario.resetTimeout} s open, ${scenario.delay} s between calls, ` +
        `${scenario.requestTimeout} s request timeout, speed ${scenario.speed}x` +
        (scenario.halfOpen ? `, ${describeHalfOpen(scenario.halfOpen)}` : '') +
        (scenario.concurrency > 1 ? `, ${scenario.concurrency} callers per call` : '') +
        (scenario.brokenCallers === undefined
          ? ''
          : `, the last ${scenario.brokenCallers} through a broken route (a port nothing listens on), each caller a process with a breaker of its own`),
    );
    // Where a library's own rule differs from "N consecutive failures", say so beside the scenario's.
    const rate = scenario.failureRate;
    const settings = {
      failures: scenario.failures,
      resetTimeoutMs: scenario.resetTimeout * 1000,
      rollingWindowMs: ROLLING_WINDOW_SECONDS * 1000,
      ...(rate === undefined
        ? {}
        : {
            failureRate: {
              ratio: rate.ratio,
              minimumThroughput: rate.minimumThroughput,
              windowMs: rate.window * 1000,
            },
          }),
      ...(scenario.minProcesses === undefined ? {} : { minProcesses: scenario.minProcesses }),
    };
    for (const library of libraries) {
      const rule = library.rule?.(settings) ?? (rate ? noRateRule(scenario.failures) : undefined);
      if (rule !== undefined) console.log(`  ${library.name}: ${rule}`);
    }
    console.log(tableHeader(names, scenario.concurrency, serverWidth));
  }
  try {
    const trace = await runScenario({
      scenario,
      libraries,
      server,
      signal: interrupt.signal,
      onEvent: (event) => {
        if (options.output === 'table' && event.type === 'call')
          console.log(tableRow(event, names, paint, scenario.concurrency, serverWidth));
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
    if (report !== undefined) {
      await writeTimelineReport(trace, report);
      if (options.output !== 'json') console.log(`\nTimeline report written to ${report}`);
    }
    return trace.interrupted ? 130 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    if (options.libraries.includes('fleet')) {
      await forgetNamespace(redisUrlFromEnv(), fleetNamespace);
    }
  }
}

if (isMain(import.meta.url)) await runMain(() => main(process.argv.slice(2)));
