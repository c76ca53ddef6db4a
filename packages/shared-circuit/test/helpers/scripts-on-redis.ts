import type { Redis } from 'ioredis';
import { circuitKeys, type CircuitKeys } from '../../src/circuit-keys.ts';
import { LuaScript } from '../../src/lua-script.ts';
import type { PolicySettings } from '../../src/policy.ts';
import { SCRIPTS } from '../../src/redis-connection.ts';
import { CONTROL_SCRIPT } from '../../src/scripts.ts';
import { parseSnapshot, type TrialReply } from '../../src/snapshot.ts';

const CONTROL = new LuaScript(CONTROL_SCRIPT);

/**
 * Redis's clock cannot be set, so "time passes" moves every time the scripts keep back instead:
 * the state's openedAt and each lease's expiry (the version only orders changes). To the scripts
 * that is the same as their clock moving on by `ARGV[1]` ms, at once and without a sleep.
 */
const CLOCK_MOVES_ON = `
local ms = tonumber(ARGV[1])
local opened = redis.call('HGET', KEYS[1], 'openedAt')
if opened then redis.call('HSET', KEYS[1], 'openedAt', tonumber(opened) - ms) end
local leases = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = 1, #leases, 2 do
  redis.call('ZADD', KEYS[2], 'XX', tonumber(leases[i + 1]) - ms, leases[i])
end
`;

/** What Redis holds of a circuit, as the control script's `status` reads it. */
export interface ScriptState {
  state: 'closed' | 'open' | 'half-open';
  failures: number;
  successes: number;
  trialsRunning: number;
  /** The closed spell (closed only). */
  spell: string | undefined;
}

/**
 * One circuit's scripts on a real Redis, called the way its processes call them, with the
 * arguments a process sends: the circuit's settings, then each script's own.
 */
export class ScriptsOnRedis {
  readonly keys: CircuitKeys;

  constructor(
    readonly redis: Redis,
    namespace: string,
    name: string,
    readonly settings: PolicySettings,
  ) {
    this.keys = circuitKeys(namespace, name);
  }

  /** What a process does first: read (and save) the circuit. */
  read(): Promise<TrialReply> {
    return this.#run(SCRIPTS.read, []);
  }

  /** `token` '' for an ordinary call; `spell` the closed spell the call started in, '' for a trial. */
  failure(token: string, id: string, spell: string): Promise<TrialReply> {
    return this.#run(SCRIPTS.failure, [this.settings.failures, token, id, spell]);
  }

  /** `token` '' for an ordinary call. */
  success(token: string): Promise<TrialReply> {
    return this.#run(SCRIPTS.success, [token]);
  }

  trial(token: string, leaseMs: number): Promise<TrialReply> {
    return this.#run(SCRIPTS.trial, [leaseMs, token]);
  }

  /** Redis's clock moves on by `ms`, as far as this circuit can tell. */
  async clockMovesOn(ms: number): Promise<void> {
    await this.redis.eval(CLOCK_MOVES_ON, 2, this.keys.state, this.keys.lease, ms);
  }

  async status(): Promise<ScriptState> {
    const reply = JSON.parse(
      String(await CONTROL.run(this.redis, this.#keyList(), [this.keys.channel, 'status'])),
    ) as Record<string, unknown>;
    const state = reply['state'];
    if (state !== 'closed' && state !== 'open' && state !== 'half-open') {
      throw new Error(`status of a circuit not in Redis: ${JSON.stringify(reply)}`);
    }
    return {
      state,
      failures: Number(reply['failures']),
      successes: Number(reply['successes']),
      trialsRunning: Number(reply['trialsRunning']),
      spell: typeof reply['spell'] === 'string' ? reply['spell'] : undefined,
    };
  }

  async drop(): Promise<void> {
    await this.redis.del(...this.#keyList());
  }

  #keyList(): string[] {
    return [this.keys.state, this.keys.lease, this.keys.probe];
  }

  async #run(script: LuaScript, args: readonly (string | number)[]): Promise<TrialReply> {
    const { resetTimeoutMs, halfOpenTrials, successThreshold } = this.settings;
    const reply = await script.run(this.redis, this.#keyList(), [
      this.keys.channel,
      resetTimeoutMs,
      halfOpenTrials,
      successThreshold,
      ...args,
    ]);
    return parseSnapshot(String(reply));
  }
}
