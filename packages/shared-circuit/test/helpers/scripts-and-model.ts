import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { PolicySettings } from '../../src/policy.ts';
import type { Transition } from '../../src/store/circuit-store.ts';
import { FleetRecord } from '../../src/store/fleet-record.ts';
import { ScriptsOnRedis } from './scripts-on-redis.ts';

/** Long next to a run's real duration (well under a second), so only the steps move time. */
export const RESET_TIMEOUT_MS = 60_000;
export const LEASE_MS = 90_000;
/** Every wait is a multiple of this, as are the reset timeout and the lease: no deadline falls between. */
export const TICK_MS = 30_000;

/**
 * One step of a run. `pick` chooses among the trial tokens asked for so far, 0 the latest (modulo
 * their number); with none yet, it is a token never granted.
 */
export type Command =
  /** A call that started in the closed spell the circuit is in, or was in last, failed. */
  | { type: 'failure' }
  /** A call from the closed spell before that one failed (delivered late). */
  | { type: 'late-failure' }
  /** A call made while closed succeeded. */
  | { type: 'success' }
  /** A new trial asks for its lease. */
  | { type: 'trial' }
  /** A trial asks again with its token: the reply to its first request was lost. */
  | { type: 'trial-again'; pick: number }
  | { type: 'trial-success'; pick: number }
  | { type: 'trial-failure'; pick: number }
  /** The last failure or success sent again, as it was: its reply was lost. */
  | { type: 'resend' }
  /** Time passes. */
  | { type: 'wait'; ms: number };

type Message =
  | { kind: 'failure'; token: string; id: string; spell: number | undefined }
  | {
      kind: 'success';
      token: string;
    };

/**
 * The circuit's scripts on a real Redis and the plain model, fed the same commands; `step` fails
 * when they end a step in different states (state, failures, successes, leases running, spell).
 * The model is the memory store's record (src/store/fleet-record.ts): policy.ts's rules plus the
 * scripts' bookkeeping, on a clock that moves only when told.
 */
export class ScriptsAndModel {
  readonly scripts: ScriptsOnRedis;
  readonly model: FleetRecord;
  readonly #settings: PolicySettings;
  #now = 0;
  /** The model's spell of each of its closed spells, by their order. */
  readonly #modelSpells: string[] = [];
  readonly #tokens: string[] = [];
  /** The scripts' name (a version) of each of the model's closed spells. */
  readonly #spells: string[] = [];
  #last: Message | undefined;
  readonly #done: string[] = [];

  constructor(redis: Redis, namespace: string, name: string, settings: PolicySettings) {
    this.scripts = new ScriptsOnRedis(redis, namespace, name, settings);
    this.model = new FleetRecord(() => this.#now);
    this.#settings = settings;
  }

  /** Which closed spell the model is in, or was in last, counted from 0. */
  #spell(): number {
    const { spell } = this.model.status();
    if (!this.#modelSpells.includes(spell)) this.#modelSpells.push(spell);
    return this.#modelSpells.indexOf(spell);
  }

  #model(transition: Transition): boolean {
    return this.model.apply(transition, this.#settings).reply.granted;
  }

  /** What a process does first: read the circuit, which saves it closed in its first spell. */
  async start(): Promise<void> {
    await this.scripts.read();
    await this.#compare('start');
  }

  async step(command: Command): Promise<void> {
    switch (command.type) {
      case 'failure':
        await this.#send({ kind: 'failure', token: '', id: randomUUID(), spell: this.#spell() });
        break;
      case 'late-failure':
        await this.#send({
          kind: 'failure',
          token: '',
          id: randomUUID(),
          spell: this.#spell() - 1,
        });
        break;
      case 'success':
        await this.#send({ kind: 'success', token: '' });
        break;
      case 'trial': {
        const token = `trial-${this.#tokens.length}`;
        this.#tokens.push(token);
        await this.#trial(token);
        break;
      }
      case 'trial-again':
        await this.#trial(this.#pick(command.pick));
        break;
      case 'trial-success':
        await this.#send({ kind: 'success', token: this.#pick(command.pick) });
        break;
      case 'trial-failure':
        await this.#send({
          kind: 'failure',
          token: this.#pick(command.pick),
          id: randomUUID(),
          spell: undefined,
        });
        break;
      case 'resend':
        if (this.#last !== undefined) await this.#send(this.#last);
        break;
      case 'wait':
        await this.scripts.clockMovesOn(command.ms);
        this.#now += command.ms;
        break;
    }
    await this.#compare(JSON.stringify(command));
  }

  async #trial(token: string): Promise<void> {
    const reply = await this.scripts.trial(token, LEASE_MS);
    const granted = this.#model({ type: 'trial', leaseMs: LEASE_MS, token });
    assert.equal(reply.granted, granted, this.#story(`trial ${token}: granted`));
  }

  async #send(message: Message): Promise<void> {
    this.#last = message;
    if (message.kind === 'success') {
      await this.scripts.success(message.token);
      this.#model({ type: 'success', token: message.token });
      return;
    }
    const spell =
      message.spell === undefined ? '' : (this.#spells[message.spell] ?? 'an earlier spell');
    await this.scripts.failure(message.token, message.id, spell);
    const modelSpell =
      message.spell === undefined ? '' : (this.#modelSpells[message.spell] ?? '-1');
    this.#model({
      type: 'failure',
      threshold: this.#settings.failures,
      token: message.token,
      id: message.id,
      spell: modelSpell,
      processId: 'one-process',
      minProcesses: 1,
    });
  }

  #pick(pick: number): string {
    return this.#tokens.length === 0
      ? 'never-granted'
      : this.#tokens[this.#tokens.length - 1 - (pick % this.#tokens.length)]!;
  }

  async #compare(step: string): Promise<void> {
    this.#done.push(step);
    const real = await this.scripts.status();
    const { state, failures, successes, trialsRunning } = this.model.status();
    const rest = { state, failures, successes, trialsRunning };
    const spell = this.#spell();
    const actual: typeof rest = {
      state: real.state,
      failures: real.state === 'closed' ? real.failures : 0,
      successes: real.successes,
      trialsRunning: real.trialsRunning,
    };
    assert.deepEqual(actual, rest, this.#story('the scripts and the model disagree'));
    if (real.state !== 'closed') return;
    // Each closed spell has one name, and a new spell a new one.
    const known = this.#spells[spell];
    if (known === undefined) {
      assert.ok(
        real.spell !== undefined && !this.#spells.includes(real.spell),
        this.#story(`a new closed spell, named ${real.spell}`),
      );
      this.#spells[spell] = real.spell;
    } else {
      assert.equal(real.spell, known, this.#story(`still closed spell ${spell}`));
    }
  }

  #story(what: string): string {
    const { failures, halfOpenTrials, successThreshold } = this.scripts.settings;
    return `${what}, after ${this.#done.join(' ')} (failures ${failures}, halfOpenTrials ${halfOpenTrials}, successThreshold ${successThreshold})`;
  }
}
