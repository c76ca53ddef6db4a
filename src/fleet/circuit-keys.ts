/** Where one shared circuit lives in Redis. */
export interface CircuitKeys {
  /** Hash: state, failures, version, openedAt. */
  readonly state: string;
  /** String with a TTL: the token of the process running the trial call. */
  readonly lease: string;
  /** Pub/sub channel every transition is published on. */
  readonly channel: string;
}

/**
 * Keys of the circuit `name` in `namespace`. The name is part of every key, so two circuits in one
 * namespace never share state (pybreaker's CircuitRedisStorage keys by namespace only). The braces
 * are a Redis Cluster hash tag: both keys of a circuit land on one slot, as a Lua script needs.
 */
export function circuitKeys(namespace: string, name: string): CircuitKeys {
  const base = `${namespace}:{${name}}`;
  return { state: `${base}:state`, lease: `${base}:trial`, channel: `${base}:transitions` };
}
