import { boundaryTie } from '../scenario/boundary-tie.ts';
import { consecutiveModel } from '../scenario/consecutive-model.ts';
import { serverModeOf } from '../scenario/scenario.ts';
import type { CallRecord, Trace } from '../scenario/trace.ts';
import { median } from '../statistics/percentile.ts';
import { cellSeconds, runFacts, type RunFacts } from './facts.ts';
import type { Mechanism } from './notes.ts';

/** One cell of the matrix: what happened, in numbers and few words, and why if it surprises. */
export interface Cell {
  text: string;
  /** Set when the run departs from the lab's common meaning; the note explains the mechanism. */
  surprise?: {
    fact: string;
    mechanism?: Mechanism;
    /** The run departs from the reference (the seed's package, as the model reproduces it). */
    departs?: boolean;
  };
}

type CellMaker = (facts: RunFacts, trace: Trace) => Cell;

/** Cell makers by scenario id (the file name in scenarios/); others get the model comparison. */
const MAKERS: Record<string, CellMaker> = {
  slow: (facts, trace) => {
    const timeouts = facts.calls.filter((record) => record.error?.includes('no answer within'));
    const waited = median(
      timeouts.map((record) => record.latency),
      0,
    );
    return withModel(
      facts,
      trace,
      facts.firstOpenCall === undefined
        ? `never opened; ${timeouts.length} timeouts`
        : `timeouts count: opened after ${facts.failuresBeforeOpen} timeouts of ${cellSeconds(waited)}; ${facts.rejected} rejected`,
    );
  },
  hang: (facts, trace) => {
    const before = facts.calls.filter(
      (record) => facts.firstOpenCall === undefined || record.call <= facts.firstOpenCall,
    );
    const waited = median(
      before.filter((record) => record.outcome === 'failure').map((record) => record.latency),
      0,
    );
    const opened =
      facts.openedAt === undefined ? 'never opened' : `opened at ${cellSeconds(facts.openedAt)}`;
    return withModel(
      facts,
      trace,
      `${facts.failuresBeforeOpen} calls waited ${cellSeconds(waited)} each (the request timeout); ` +
        `${opened}; then ${facts.rejected} rejected in ≤ ${formatMs(facts.slowestRejectionMs)}`,
      { opossum: 'opossumWindow', fleet: 'fleetSlowCall' },
    );
  },
  'failure-rate': failureRateCell,
  'bad-caller-min-processes-1': badCallerCell,
  'bad-caller-min-processes-2': badCallerCell,
  'http-503': (facts, trace) =>
    withModel(
      facts,
      trace,
      facts.firstOpenCall === undefined
        ? 'never opened on 503'
        : `opened after ${facts.failuresBeforeOpen} × 503; ${facts.rejected} rejected; ${facts.trials} trials`,
    ),
  'ignored-404': (facts) => {
    const ignored = facts.calls.filter((record) => record.outcome === 'ignored').length;
    return facts.opened === 0
      ? { text: `stayed closed: ${ignored} × 404 returned to the caller, none counted` }
      : {
          text: `opened after ${facts.failuresBeforeOpen} × 404`,
          surprise: { fact: 'the error filter did not keep 404 from counting' },
        };
  },
  'concurrent-trial': concurrentTrialCell,
  'half-open-sampling': (facts, trace) => {
    const trials = facts.calls.filter((record) => record.trial);
    const failed = trials.filter((record) => record.outcome === 'failure');
    const reopening = trials.filter((record) => record.state === 'open');
    const halfBroken = facts.calls.filter(
      (record) =>
        serverModeOf(record.server)?.kind === 'fail-every' && record.outcome !== 'rejected',
    );
    const closes = closingCalls(facts.calls);
    return withModel(
      facts,
      trace,
      `${trials.length} trials, ${failed.length} failed, ${reopening.length || 'none'} re-opened it; ` +
        `${halfBroken.length} calls reached the half-broken server; ` +
        (closes.length > 0 ? `closed at call ${closes.join(', ')}` : 'never closed'),
      { opossum: 'opossumOneTrial', mollitia: 'mollitiaTrialRate', fleet: 'fleetNoFailureShare' },
    );
  },
  'long-outage': (facts, trace) =>
    withModel(
      facts,
      trace,
      `${facts.trials} trials sent to the dead server; ${facts.rejected} rejected`,
    ),
};

export function makeCell(scenarioId: string, trace: Trace, library: string): Cell {
  const run = trace.runs.find((candidate) => candidate.library === library);
  if (!run) return { text: 'not run' };
  const facts = runFacts(trace, run);
  const maker = MAKERS[scenarioId];
  if (maker) return maker(facts, trace);
  return withModel(facts, trace, defaultText(facts));
}

function defaultText(facts: RunFacts): string {
  const closes = closingCalls(facts.calls);
  const parts = [
    facts.firstOpenCall === undefined
      ? 'never opened'
      : `opened ${times(facts.opened)} (first at call ${facts.firstOpenCall})`,
    `${facts.trials} ${facts.trials === 1 ? 'trial' : 'trials'}`,
    `${facts.sentWhileUnhealthy} calls sent while the server was down`,
  ];
  if (closes.length > 0) parts.push(`closed at call ${closes.join(', ')}`);
  return parts.join('; ');
}

/**
 * Compares the run with the consecutive-failure model and turns a difference into a surprise,
 * explained by `mechanisms` (by library; opossum's rolling window where none is given).
 */
function withModel(
  facts: RunFacts,
  trace: Trace,
  text: string,
  mechanisms: Partial<Record<string, Mechanism>> = { opossum: 'opossumWindow' },
): Cell {
  const model = consecutiveModel(trace.scenario, facts.calls, boundaryTie(trace, facts.calls));
  if (!model) return { text };
  const differs = facts.calls.filter((record, index) => {
    const expected = model[index];
    return !expected || expected.outcome !== record.outcome || expected.state !== record.state;
  });
  const first = differs[0];
  if (!first) return { text: `${text} (as the model)` };
  const expected = model[first.call - 1];
  const mechanism = mechanisms[facts.library];
  const fact =
    `from call ${first.call}: ${first.outcome}, ${first.state} where the model gives ` +
    `${expected?.outcome ?? '-'}, ${expected?.state ?? '-'} (${differs.length} of ${facts.calls.length} calls differ)`;
  return {
    text,
    surprise: {
      fact,
      departs: true,
      ...(mechanism ? { mechanism } : {}),
    },
  };
}

/** Every library's cell for one scenario's trace. */
export function makeCells(scenarioId: string, trace: Trace): Map<string, Cell> {
  return new Map(trace.runs.map((run) => [run.library, makeCell(scenarioId, trace, run.library)]));
}

function concurrentTrialCell(facts: RunFacts): Cell {
  const trialCall = facts.calls.find((record) => record.trial)?.call;
  if (trialCall === undefined) return { text: 'no trial call' };
  const batch = facts.calls.filter((record) => record.call === trialCall);
  const trials = batch.filter((record) => record.trial);
  const rejected = batch.filter((record) => record.outcome === 'rejected');
  const held = batch.filter((record) => !record.trial && record.outcome !== 'rejected');
  const trialLatency = median(
    trials.map((record) => record.latency),
    0,
  );
  const parts = [
    `${trials.length} ${trials.length === 1 ? 'trial' : 'trials'} (${cellSeconds(trialLatency)})`,
  ];
  if (rejected.length > 0) {
    const slowest = Math.max(...rejected.map((record) => record.latency));
    parts.push(`${rejected.length} rejected at once (≤ ${cellSeconds(slowest)})`);
  }
  if (held.length > 0) {
    const waited = median(
      held.map((record) => record.latency),
      0,
    );
    parts.push(
      `${held.length} waited for the trial, then reached the server (${cellSeconds(waited)} in all)`,
    );
  }
  const text = parts.join('; ');
  if (held.length > 0) {
    return {
      text,
      surprise: {
        fact: `${held.length} callers were held, not rejected`,
        mechanism: 'cockatielHeld',
      },
    };
  }
  if (trials.length > 1)
    return { text, surprise: { fact: `${trials.length} trial calls at once` } };
  return { text };
}

/** A failing share: did it open, after how many failures of how many calls, and what reached the server. */
function failureRateCell(facts: RunFacts): Cell {
  const failing = facts.calls.filter(
    (record) => serverModeOf(record.server)?.kind === 'fail-every' && record.outcome !== 'rejected',
  );
  const failures = facts.calls.filter((record) => record.outcome === 'failure');
  const longest = longestFailureRun(facts.calls);
  const ran = failing.length;
  if (facts.firstOpenCall === undefined) {
    return {
      text: `never opened: ${failures.length} failures, at most ${longest} in a row; ${ran} calls reached the failing server`,
    };
  }
  const before = facts.calls.filter((record) => record.call <= (facts.firstOpenCall ?? 0));
  return {
    text:
      `opened at call ${facts.firstOpenCall}, after ${facts.failuresBeforeOpen} failures in ${before.length} calls ` +
      `(at most ${longest} in a row); opened ${times(facts.opened)}; ${ran} calls reached the failing server, ${facts.rejected} rejected`,
  };
}

/** The most failures in a row (by call order). */
function longestFailureRun(calls: readonly CallRecord[]): number {
  let longest = 0;
  let run = 0;
  for (const record of calls) {
    run = record.outcome === 'failure' ? run + 1 : record.outcome === 'success' ? 0 : run;
    longest = Math.max(longest, run);
  }
  return longest;
}

/**
 * One bad caller among several, each caller a process with a breaker of its own: what the broken
 * callers sent into their broken route, and what the healthy callers could still run.
 */
function badCallerCell(facts: RunFacts, trace: Trace): Cell {
  const { concurrency, brokenCallers = 0 } = trace.scenario;
  const isBroken = (record: CallRecord) => (record.caller ?? 1) > concurrency - brokenCallers;
  const broken = facts.calls.filter(isBroken);
  const healthy = facts.calls.filter((record) => !isBroken(record));
  const sent = broken.filter((record) => record.outcome !== 'rejected').length;
  const ran = healthy.filter((record) => record.outcome === 'success').length;
  const share = healthy.length === 0 ? 0 : (ran / healthy.length) * 100;
  const text =
    `the broken caller sent ${sent} of ${broken.length} calls into its broken route; ` +
    `the healthy callers ran ${ran} of ${healthy.length} (${share.toFixed(0)}%)`;
  if (sent === broken.length) {
    return {
      text,
      surprise: {
        fact: `the broken caller's ${sent} failures never opened a circuit: every one of its calls went into its broken route`,
        ...(facts.library === 'fleet' ? { mechanism: 'fleetSharedCount' as const } : {}),
      },
    };
  }
  if (ran < healthy.length) {
    return {
      text,
      surprise: {
        fact: `the broken caller's failures opened the circuit for the healthy callers too: ${healthy.length - ran} of their calls were rejected`,
      },
    };
  }
  return { text };
}

function closingCalls(calls: readonly CallRecord[]): number[] {
  const closes: number[] = [];
  let previous = 'closed';
  for (const record of calls) {
    if (record.state === 'closed' && previous !== 'closed') closes.push(record.call);
    previous = record.state;
  }
  return closes;
}

function times(count: number): string {
  return count === 1 ? 'once' : `${count}×`;
}

function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '-';
  return ms < 1 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(1)} ms`;
}
