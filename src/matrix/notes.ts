/**
 * Why a library departs from "N consecutive failures, T seconds open, one trial", with a pointer
 * into its options or source. A note is attached to a cell only when that cell's measured run
 * shows the departure.
 */
export const MECHANISMS = {
  opossumWindow:
    'opossum opens on a failure *percentage* over its rolling window (`rollingCountTimeout`, two reset timeouts ' +
    'in this adapter), once `volumeThreshold` (N) calls are in it, not on N consecutive failures; it does not clear ' +
    'the window when the circuit closes, and rejected calls count as `fires` in the denominator. With ' +
    "`errorThresholdPercentage: 50` (the setting that agreed most with the seed's package, see `src/breakers/opossum.ts`), " +
    'successes still in the window can keep N failures at or under half, and failures still in it can open the ' +
    'circuit after fewer than N. See `fail()` in opossum `lib/circuit.js` and the buckets in `lib/status.js`.',
  cockatielHeld:
    'cockatiel lets one trial through and makes every other caller *await* it instead of failing fast ' +
    '(`CircuitBreakerPolicy.execute`, case `HalfOpen`: `await state.test`, then it executes the call again). ' +
    'When the trial succeeds, all of them hit the recovering server at once.',
  lazyHalfOpen:
    'cockatiel decides "half-open" only when a call arrives after `halfOpenAfter` (it compares `Date.now()` ' +
    'with the time it opened), so it is never seen half-open between calls; opossum and mollitia move to ' +
    'half-open on a timer (`resetTimeout`, `openStateDelay`) and wait there for the next call.',
  opossumOneTrial:
    'opossum has no option for several half-open trials: past `resetTimeout` it lets one call through ' +
    '(`PENDING_CLOSE` in `lib/circuit.js`), and that call alone closes the circuit or opens it again, so a ' +
    'server that answers one request in two can close it on a lucky trial.',
  mollitiaTrialRate:
    "mollitia's `permittedNumberOfCallsInHalfOpenState` lets the asked number of trials through, but it judges " +
    'them only once all are back, by the same `failureRateThreshold` as the closed state (99 in this adapter, ' +
    'for "N consecutive failures"): it has no failure share of its own, so it re-opens only when every trial ' +
    'failed (`checkCallRatesHalfOpen` in `SlidingWindowBreaker`).',
} as const;

export type Mechanism = keyof typeof MECHANISMS;
