import {
  afterFailure,
  afterSuccess,
  CLOSED,
  grantTrial,
  type PolicySettings,
  type PolicyState,
} from '../policy.ts';
import type { TrialReply } from '../snapshot.ts';
import type { Transition } from './circuit-store.ts';

/** How many counted failures' ids are kept, so a failure sent again counts once (as scripts.ts). */
const RECENT_IDS = 16;

/** The settings a circuit saves with every transition (its failure threshold comes with the failure). */
export type SavedSettings = Omit<PolicySettings, 'failures'>;

interface RateBucket {
  calls: number;
  failures: number;
  /** Processes with a failure in this bucket. */
  readonly failers: Set<string>;
}

/**
 * One circuit's shared state in memory: policy.ts's rules plus the bookkeeping the Lua scripts do
 * around them (which failure ids counted, which trial tokens hold a lease and until when, which
 * processes failed, the failure-rate window, the backoff), so a MemoryStore decides every
 * transition as Redis would. test/scripts-agree-with-the-policy.test.ts runs the same random
 * sequences of failures, successes, trials, lease expiries and resends through this and through
 * the scripts on a real Redis; minProcesses, the rate and the backoff have tests of their own on
 * each (memory-store-*.test.ts, test/fleet-*.test.ts).
 */
export class FleetRecord {
  readonly #now: () => number;
  #record: PolicyState = CLOSED;
  #version = 1;
  /** Failed trials in a row since the circuit closed, and the open period they earned. */
  #reopens = 0;
  #openMs = 0;
  #recent: string[] = [];
  readonly #failers = new Set<string>();
  /** Trial token -> when its lease runs out. A token's verdict counts while it is here. */
  readonly #leases = new Map<string, number>();
  readonly #rate = new Map<number, RateBucket>();

  constructor(now: () => number) {
    this.#now = now;
  }

  /** What a circuit reads when it connects. */
  read(settings: SavedSettings): TrialReply {
    this.#clamp(this.#now());
    return this.#reply(settings, false);
  }

  /**
   * An opening ahead of the clock (a clock set back) is moved to now, so the circuit stays open
   * one period at most, not for the step: as the scripts' load() does with Redis's clock.
   */
  #clamp(now: number): void {
    const record = this.#record;
    if (record.state === 'open' && record.openedAt > now)
      this.#record = { ...record, openedAt: now };
  }

  /** Decides `transition` atomically; `changed`: a new version the fleet must hear of. */
  apply(
    transition: Transition,
    settings: SavedSettings,
  ): { readonly reply: TrialReply; readonly changed: boolean } {
    const before = this.#version;
    const granted = this.#decide(transition, settings);
    return { reply: this.#reply(settings, granted), changed: this.#version !== before };
  }

  #decide(transition: Transition, settings: SavedSettings): boolean {
    const now = this.#now();
    this.#clamp(now);
    switch (transition.type) {
      case 'failure':
        this.#failure(transition, settings, now);
        return false;
      case 'success': {
        const trial = this.#leases.has(transition.token);
        const record = this.#record;
        if (record.state === 'closed' && record.failures > 0) this.#failers.clear();
        const next = afterSuccess(record, { ...settings, failures: 1 }, trial);
        if (next === record) return false;
        if (next.state === 'half-open') this.#leases.delete(transition.token); // its place is free
        this.#commit(next, settings);
        return false;
      }
      case 'trial':
        return this.#trial(transition.token, transition.leaseMs, settings, now);
      case 'renew': {
        const held = this.#leases.has(transition.token);
        if (held) this.#leases.set(transition.token, now + transition.leaseMs);
        return held;
      }
      case 'rate':
        this.#countRate(transition, settings, now);
        return false;
    }
  }

  #failure(
    failure: Extract<Transition, { type: 'failure' }>,
    settings: SavedSettings,
    now: number,
  ): void {
    if (this.#recent.includes(failure.id)) return; // sent again after a lost reply
    const record = this.#record;
    const trial = this.#leases.has(failure.token);
    const startedIn = failure.token !== '' ? undefined : this.#spellOf(failure.spell);
    let next = afterFailure(
      record,
      { ...settings, failures: failure.threshold },
      now,
      trial,
      startedIn,
    );
    if (next === record) return;
    if (record.state === 'closed') {
      if (failure.minProcesses > 1) this.#failers.add(failure.processId);
      const distinct = failure.minProcesses > 1 ? this.#failers.size : 1;
      // Enough failures, but from too few processes: counted, still closed.
      if (next.state === 'open' && distinct < failure.minProcesses) {
        next = { state: 'closed', failures: record.failures + 1, spell: record.spell };
      }
    }
    this.#recent = [failure.id, ...this.#recent].slice(0, RECENT_IDS);
    if (next.state === 'open')
      this.#openFor(record.state === 'half-open', failure.backoff, settings);
    this.#commit(next, settings);
  }

  #trial(token: string, leaseMs: number, settings: SavedSettings, now: number): boolean {
    let record = this.#record;
    if (record.state === 'open') {
      // The open period may be longer than the reset timeout (a backoff).
      const granted = grantTrial(
        record,
        { ...settings, failures: 1, resetTimeoutMs: this.#openMs },
        now,
      );
      if (granted?.state !== 'half-open') return false;
      this.#leases.clear();
      record = { ...granted, running: 0 };
    }
    if (record.state !== 'half-open') return false;
    const halfOpen = record;
    // A lease run out is a holder presumed dead: it loses its place when a trial asks.
    for (const [held, until] of this.#leases) if (until <= now) this.#leases.delete(held);
    if (!this.#leases.has(token) && this.#leases.size >= settings.halfOpenTrials) return false;
    this.#leases.set(token, now + leaseMs);
    // Committed even when already half-open, so every process learns when to ask again.
    this.#commit({ ...halfOpen, running: this.#leases.size }, settings);
    return true;
  }

  #countRate(
    rate: Extract<Transition, { type: 'rate' }>,
    settings: SavedSettings,
    now: number,
  ): void {
    const record = this.#record;
    if (record.state !== 'closed') return;
    if (rate.spell !== '' && this.#spellOf(rate.spell) !== record.spell) return;
    const index = Math.floor(now / rate.bucketMs);
    const bucket = this.#rate.get(index) ?? { calls: 0, failures: 0, failers: new Set<string>() };
    this.#rate.set(index, bucket);
    bucket.calls += rate.calls;
    bucket.failures += rate.failures;
    if (rate.failures > 0) bucket.failers.add(rate.processId);
    // The buckets that overlap the last windowMs; older ones are dropped.
    const oldest = Math.floor((now - rate.windowMs) / rate.bucketMs) + 1;
    let calls = 0;
    let failures = 0;
    const failers = new Set<string>();
    for (const [at, counted] of this.#rate) {
      if (at < oldest) {
        this.#rate.delete(at);
        continue;
      }
      calls += counted.calls;
      failures += counted.failures;
      for (const failer of counted.failers) failers.add(failer);
    }
    if (calls === 0 || calls < rate.minimumThroughput || failures / calls < rate.failureRatio)
      return;
    if (failers.size < rate.minProcesses) return;
    this.#openFor(false, undefined, settings);
    this.#commit({ state: 'open', openedAt: now, spell: record.spell }, settings);
  }

  /** The open period: the reset timeout, or after failed trials in a row the backoff's next one. */
  #openFor(
    reopen: boolean,
    backoff: { factor: number; maxMs: number; draw: number } | undefined,
    settings: SavedSettings,
  ): void {
    this.#reopens = reopen ? this.#reopens + 1 : 0;
    this.#openMs =
      reopen && backoff !== undefined
        ? Math.max(
            1,
            Math.floor(
              Math.min(backoff.maxMs, settings.resetTimeoutMs * backoff.factor ** this.#reopens) *
                (1 + backoff.draw),
            ),
          )
        : settings.resetTimeoutMs;
  }

  /** A closed spell as a circuit sent it back ('' when it did not know: counted as the current one). */
  #spellOf(spell: string): number {
    if (spell === '') return this.#record.spell;
    return /^\d+$/.test(spell) ? Number(spell) : -1;
  }

  #commit(next: PolicyState, settings: SavedSettings): void {
    // Opening or closing starts the counts over and ends the half-open spell's leases.
    if (next.state !== this.#record.state && next.state !== 'half-open') {
      this.#leases.clear();
      this.#failers.clear();
      this.#rate.clear();
    }
    if (next.state === 'closed' && this.#record.state !== 'closed') {
      this.#reopens = 0;
      this.#openMs = settings.resetTimeoutMs;
    }
    this.#record = next;
    this.#version += 1;
  }

  #reply(settings: SavedSettings, granted: boolean): TrialReply {
    const record = this.#record;
    const version = this.#version;
    const now = this.#now();
    switch (record.state) {
      case 'closed':
        return {
          state: 'closed',
          version,
          failures: record.failures,
          spell: `${record.spell}`,
          granted,
        };
      case 'open': {
        const openMs = this.#openMs > 0 ? this.#openMs : settings.resetTimeoutMs;
        return {
          state: 'open',
          version,
          retryInMs: Math.max(0, record.openedAt + openMs - now),
          granted,
        };
      }
      case 'half-open': {
        const live = [...this.#leases.values()].filter((until) => until > now);
        const leaseMs =
          live.length >= settings.halfOpenTrials ? Math.max(0, Math.min(...live) - now) : 0;
        return { state: 'half-open', version, leaseMs, granted };
      }
    }
  }

  /** What the model test compares with the scripts' status after every step. */
  status(): {
    state: PolicyState['state'];
    failures: number;
    successes: number;
    trialsRunning: number;
    spell: string;
  } {
    const record = this.#record;
    const now = this.#now();
    let trialsRunning = 0;
    for (const until of this.#leases.values()) if (until > now) trialsRunning += 1;
    return {
      state: record.state,
      failures: record.state === 'closed' ? record.failures : 0,
      successes: record.state === 'half-open' ? record.successes : 0,
      trialsRunning,
      spell: `${record.spell}`,
    };
  }
}
