/** Where one shared circuit lives in Redis. */
export interface CircuitKeys {
  /** Hash: state, failures, version, openedAt. */
  readonly state: string;
  /** String with a TTL: the token of the process running the trial call. */
  readonly lease: string;
  /** String with a short TTL that the read script writes, to learn that Redis accepts writes. */
  readonly probe: string;
  /** Hash: the fleet's call and failure counts in time buckets, for the failure-rate rule. */
  readonly rate: string;
  /** Pub/sub channel every transition is published on. */
  readonly channel: string;
}

/**
 * Keys of the circuit `name` in `namespace`. The name is part of every key, so two circuits in one
 * namespace never share state (pybreaker's CircuitRedisStorage keys by namespace only). The braces
 * are a Redis Cluster hash tag: all keys of a circuit land on one slot, as a Lua script needs.
 * Pub/sub is server-wide, not per database, so the channel names the database `db`: fleets on
 * `/1` and `/2` of one Redis never hear each other.
 */
export function circuitKeys(namespace: string, name: string, db = 0): CircuitKeys {
  const base = `${namespace}:{${name}}`;
  return {
    state: `${base}:state`,
    lease: `${base}:trial`,
    probe: `${base}:probe`,
    rate: `${base}:rate`,
    channel: `${base}:db${db}:transitions`,
  };
}
