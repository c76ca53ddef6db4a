import type { Snapshot, TrialReply } from '../snapshot.ts';

/**
 * A transition a circuit asks its store for, with what it sends along. The store decides it
 * atomically, on its own clock: Redis runs each as one Lua script (scripts.ts), the memory store
 * as one synchronous step (fleet-record.ts).
 */
export type Transition =
  /**
   * A call failed. `token`: the trial's ('' for an ordinary call); `id`: the failure's own, so a
   * resend counts once; `spell`: the closed spell the call started in ('' when not known);
   * `backoff`: a trial's failure with a backoff, the next open period's factor, cap and jitter draw.
   */
  | {
      readonly type: 'failure';
      readonly threshold: number;
      readonly token: string;
      readonly id: string;
      readonly spell: string;
      readonly processId: string;
      readonly minProcesses: number;
      readonly backoff?: { readonly factor: number; readonly maxMs: number; readonly draw: number };
    }
  /** A call succeeded: a trial holding `token`, or an ordinary call (''), sent only after failures. */
  | { readonly type: 'success'; readonly token: string }
  /** A call asks to run as a trial for `leaseMs`; asked again with the same token, granted again. */
  | { readonly type: 'trial'; readonly leaseMs: number; readonly token: string }
  /** A running trial extends its lease (a 1 ms lease gives its place up). */
  | { readonly type: 'renew'; readonly leaseMs: number; readonly token: string }
  /** A process's call and failure counts since it last sent them, for the failure-rate rule. */
  | {
      readonly type: 'rate';
      readonly calls: number;
      readonly failures: number;
      readonly processId: string;
      readonly bucketMs: number;
      readonly windowMs: number;
      readonly failureRatio: number;
      readonly minimumThroughput: number;
      readonly minProcesses: number;
      readonly spell: string;
    };

export type TransitionType = Transition['type'];

/** One circuit as its store knows it: where its state lives, and the settings it saves with it. */
export interface StoredCircuit {
  /** Redis keys and channel (circuit-keys.ts); the memory store keys by `keys.state` too. */
  readonly keys: { readonly state: string; readonly channel: string };
  readonly resetTimeoutMs: number;
  readonly halfOpenTrials: number;
  readonly successThreshold: number;
}

/** What a store tells its circuit. */
export interface StoreEvents {
  /** The shared state can be used (again): here is what it holds now. */
  up(snapshot: Snapshot): void;
  /** The store went away or refuses what the circuit needs: once per outage, with the reason. */
  down(reason: string): void;
  /** A change made by any circuit of the fleet, this one included. */
  change(snapshot: Snapshot): void;
}

/**
 * The seam under a SharedCircuit: where its state lives. Redis (redis-link.ts) for a fleet; memory
 * (memory-store.ts) for one process, on an injected clock, so the policy's tests need no Redis.
 * `run` never throws a store's error: a failed transition reports `down` and resolves undefined.
 */
export interface CircuitStore {
  /** Where the state lives, for log lines: "Redis at redis://host:6379", "the memory store". */
  readonly where: string;
  run(transition: Transition): Promise<TrialReply | undefined>;
  close(): Promise<void>;
}
