/** The three states of a circuit breaker. */
export type CircuitState = 'closed' | 'open' | 'half-open';
