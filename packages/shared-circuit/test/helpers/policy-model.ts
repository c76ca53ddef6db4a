import {
  afterFailure,
  afterSuccess,
  CLOSED,
  grantTrial,
  type PolicySettings,
  type PolicyState,
} from '../../src/policy.ts';

/** What the model and the scripts are compared on after every step. */
export interface ModelState {
  state: 'closed' | 'open' | 'half-open';
  /** Consecutive failures counted while closed; 0 otherwise (Redis keeps the count that opened it). */
  failures: number;
  /** Trial successes counted in this half-open spell; 0 otherwise. */
  successes: number;
  /** Leases not run out. */
  trialsRunning: number;
  /** Which closed spell, counted from 0: the scripts name each by a version instead. */
  spell: number;
}

/** How many counted failures' ids the failure script keeps, so a resend counts once. */
const RECENT_IDS = 16;

/**
 * The scripts as a plain model: policy.ts's rules, plus the bookkeeping the scripts do around
 * them: which failure ids counted, which trial tokens hold a lease and until when. Its clock is
 * a number that only moves when told.
 */
export class PolicyModel {
  #record: PolicyState = CLOSED;
  #now = 0;
  /** Trial token -> when its lease runs out. A token counts while here, run out or not. */
  readonly #leases = new Map<string, number>();
  #recent: string[] = [];

  constructor(
    readonly settings: PolicySettings,
    readonly leaseMs: number,
  ) {}

  /** The closed spell the circuit is in, or was in last. */
  get spell(): number {
    return this.#record.spell;
  }

  /** A call failed: a trial holding `token`, or an ordinary call ('') that started in `startedIn`. */
  failure(token: string, id: string, startedIn: number | undefined): void {
    if (this.#recent.includes(id)) return; // sent again after a lost reply: counted once
    const trial = this.#leases.has(token);
    const next = afterFailure(this.#record, this.settings, this.#now, trial, startedIn);
    if (next === this.#record) return;
    this.#recent = [id, ...this.#recent].slice(0, RECENT_IDS);
    this.#set(next);
  }

  /** A call succeeded: a trial holding `token`, or an ordinary call (''). */
  success(token: string): void {
    const trial = this.#leases.has(token);
    const next = afterSuccess(this.#record, this.settings, trial);
    if (next.state === 'half-open' && trial) this.#leases.delete(token); // its place is free
    this.#set(next);
  }

  /** A trial asks for its lease (again, after a lost reply: a holder is granted again). */
  trial(token: string): boolean {
    let record = this.#record;
    if (record.state === 'half-open') {
      // A lease run out is a holder presumed dead: it loses its place when a trial asks.
      for (const [held, until] of this.#leases) if (until <= this.#now) this.#leases.delete(held);
      record = { ...record, running: this.#leases.size };
      if (this.#leases.has(token)) {
        this.#leases.set(token, this.#now + this.leaseMs);
        return true;
      }
    }
    const granted = grantTrial(record, this.settings, this.#now);
    if (granted === undefined) return false;
    if (record.state !== 'half-open') this.#leases.clear(); // a new half-open spell
    this.#leases.set(token, this.#now + this.leaseMs);
    this.#set(granted);
    return true;
  }

  clockMovesOn(ms: number): void {
    this.#now += ms;
  }

  view(): ModelState {
    const record = this.#record;
    let trialsRunning = 0;
    for (const until of this.#leases.values()) if (until > this.#now) trialsRunning += 1;
    return {
      state: record.state,
      failures: record.state === 'closed' ? record.failures : 0,
      successes: record.state === 'half-open' ? record.successes : 0,
      trialsRunning,
      spell: record.spell,
    };
  }

  #set(next: PolicyState): void {
    // Opening or closing ends the half-open spell and its leases (the scripts delete the set).
    if (next.state !== 'half-open') this.#leases.clear();
    this.#record = next;
  }
}
