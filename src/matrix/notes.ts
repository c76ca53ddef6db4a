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
  fleetSharedCount:
    'with `minProcesses: 1` the shared circuit counts consecutive failures for the whole fleet: the healthy ' +
    "processes' successes reset the one count between the broken process's failures, so it never reaches " +
    '`failures` and nothing opens (with fewer healthy calls in between, the same process trips the whole fleet: ' +
    "the README measures both). `minProcesses: 2` gives each process a circuit of its own under the fleet's " +
    '(`packages/shared-circuit/README.md`, `minProcesses`).',
  fleetSlowCall:
    "the shared circuit's `slowCallMs` counts a call still running after it as a failure at that moment " +
    '(once; the call itself runs on to the request timeout), so on a hanging server it opens `requestTimeout - ' +
    'slowCall` sooner than a library that counts a call when it ends, and its open period, and so its trial, ' +
    'end that much sooner too (`slow-call-watch.ts` in `packages/shared-circuit/src/`).',
  fleetLazyHalfOpen:
    'the shared circuit has no timer that moves it to half-open: past its reset timeout it stays open in Redis ' +
    'until a call asks for the trial (`grantTrial` in `packages/shared-circuit/src/policy.ts`), and it is ' +
    'half-open only while that trial runs, as cockatiel is.',
  fleetNoFailureShare:
    'the lab maps the asked trials onto `halfOpenTrials` and `successThreshold` (`src/breakers/shared-circuit.ts`); ' +
    'the shared circuit has no failure share for them: any failed trial opens it again for a full reset timeout, ' +
    'so it re-opens on the first failed trial where the scenario lets one of 4 fail.',
} as const;

export type Mechanism = keyof typeof MECHANISMS;
