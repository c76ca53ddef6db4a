"""Reference corpus: the seed's own package (circuitbreaker) run call by call on a controlled clock.

Writes one JSON fixture per schedule to test/fixtures/reference/: the breaker parameters, the
schedule, and what the package did on every call (outcome, state right after it, whether it was a
trial). Schedules: the seed's, every scenario in scenarios/ that the package can express, and
seeded generated ones. No real sleeping: the package's time source is replaced by a clock that
the driver advances by each call's latency and the delay between calls.

Run with `npm run reference` (Debian: apt-get install python3-circuitbreaker).
"""

import json
import random
import sys
from importlib import metadata
from pathlib import Path

try:
    import circuitbreaker
except ImportError:
    print(
        "error: the Python package circuitbreaker is missing; install it with "
        "`apt-get install python3-circuitbreaker` (Debian/Ubuntu)",
        file=sys.stderr,
    )
    sys.exit(3)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "test" / "fixtures" / "reference"
SCENARIOS = ROOT / "scenarios"

# Generated schedules: how many, and the seed that makes them repeat.
GENERATED = 25
GENERATOR_SEED = 20261129
# No call of a generated schedule falls within this fraction of the reset timeout (or this many
# seconds, whichever is larger) of a reset boundary, so a real-time run cannot land on the other side.
BOUNDARY_FRACTION = 0.1
BOUNDARY_MIN_SECONDS = 0.25


class Clock:
    """The package's time source, advanced by the driver only."""

    def __init__(self):
        self.now = 1000.0

    def monotonic(self):
        return self.now


class StatusError(Exception):
    """A non-2xx answer, as the lab's client reports it."""

    def __init__(self, status):
        super().__init__(f"HTTP {status}")
        self.status = status


class ConnectionFailed(Exception):
    """Refused, reset or timed out: no answer."""


def call_result(server, request_timeout):
    """What a call to the server in this mode comes to: (latency in seconds, error or None)."""
    if server == "on":
        return 0.0, None
    if server in ("off", "reset"):
        return 0.0, ConnectionFailed(server)
    if server == "hang":
        return request_timeout, ConnectionFailed("no answer within the request timeout")
    kind, _, value = server.partition("=")
    if kind == "error":
        return 0.0, StatusError(int(value))
    if kind == "slow":
        seconds = int(value) / 1000
        if seconds < request_timeout:
            return seconds, None
        return request_timeout, ConnectionFailed("no answer within the request timeout")
    raise ValueError(f"cannot express server setting {server!r}")


def parse_schedule(text):
    phases = []
    for part in text.split(","):
        server, _, calls = part.strip().rpartition(":")
        phases.append((server, int(calls)))
    return phases


def run(parameters, schedule, name):
    """Drives the package through a schedule; returns the calls and the smallest boundary margins."""
    clock = Clock()
    circuitbreaker.monotonic = clock.monotonic
    ignore = set(parameters["ignoreStatuses"])

    def is_failure(_type, error):
        return not (isinstance(error, StatusError) and error.status in ignore)

    breaker = circuitbreaker.CircuitBreaker(
        failure_threshold=parameters["failures"],
        recovery_timeout=parameters["resetTimeout"],
        expected_exception=is_failure,
        name=name,
    )
    start = clock.now
    pending = {}

    @breaker
    def get_greeting():
        latency, error = call_result(pending["server"], parameters["requestTimeout"])
        clock.now += latency
        if error is not None:
            raise error
        return "Hello world!"

    calls = []
    around_reset = None  # smallest distance of any call while open to the reset boundary
    off_reset = None  # the same, leaving out calls exactly on it
    number = 0
    for server, count in parse_schedule(schedule):
        for _ in range(count):
            number += 1
            at = clock.now - start
            state_before = breaker.state
            if breaker._state == circuitbreaker.STATE_OPEN:
                distance = clock.now - (breaker._opened + parameters["resetTimeout"])
                if around_reset is None or abs(distance) < around_reset:
                    around_reset = abs(distance)
                if distance != 0 and (off_reset is None or abs(distance) < off_reset):
                    off_reset = abs(distance)
            pending["server"] = server
            began = clock.now
            try:
                get_greeting()
                outcome = "success"
            except circuitbreaker.CircuitBreakerError:
                outcome = "rejected"
            except StatusError as error:
                outcome = "ignored" if error.status in ignore else "failure"
            except ConnectionFailed:
                outcome = "failure"
            calls.append(
                {
                    "call": number,
                    "at": round(at, 4),
                    "server": server,
                    "outcome": outcome,
                    "state": breaker.state.replace("_", "-"),
                    "trial": state_before == circuitbreaker.STATE_HALF_OPEN,
                    "latency": round(clock.now - began, 4),
                }
            )
            clock.now += parameters["delay"]
    return calls, off_reset, around_reset


def fixture(name, source, parameters, schedule):
    calls, off_reset, _ = run(parameters, schedule, name)
    return {
        "name": name,
        "source": source,
        "reference": {
            "package": "circuitbreaker",
            "version": metadata.version("circuitbreaker"),
            "python": sys.version.split()[0],
        },
        "parameters": parameters,
        "schedule": schedule,
        "secondsFromReset": None if off_reset is None else round(off_reset, 4),
        "calls": calls,
    }


def scenario_fixtures():
    """Every scenario file the package can express: one caller, servers it can model."""
    fixtures = []
    for path in sorted(SCENARIOS.glob("*.json")):
        data = json.loads(path.read_text())
        if path.stem == "seed":
            continue  # the same schedule and settings as the seed's own fixture
        if data.get("concurrency", 1) != 1:
            continue  # the package is called by one caller at a time
        if data.get("halfOpen", {}).get("calls", 1) != 1:
            continue  # the package lets one trial call through
        parameters = {
            "failures": data.get("failures", 3),
            "resetTimeout": data.get("resetTimeout", 6),
            "delay": data.get("delay", 1),
            "requestTimeout": data.get("requestTimeout", 2),
            "ignoreStatuses": data.get("ignoreStatuses", []),
        }
        try:
            for server, _ in parse_schedule(data["schedule"]):
                call_result(server, parameters["requestTimeout"])
        except ValueError:
            continue  # e.g. flaky: a matter of chance
        fixtures.append(
            fixture(f"scenario-{path.stem}", f"scenarios/{path.name}", parameters, data["schedule"])
        )
    return fixtures


# slow=3000 always outlasts the request timeout; slow=300 always answers in time.
UNHEALTHY = ["off", "error=503", "error=500", "reset", "hang", "slow=3000"]
HEALTHY = ["on", "on", "slow=300"]


def generated_fixtures():
    rng = random.Random(GENERATOR_SEED)
    fixtures = []
    while len(fixtures) < GENERATED:
        parameters = {
            "failures": rng.randint(1, 5),
            "resetTimeout": rng.choice([2, 2.5, 3, 4, 5]),
            "delay": rng.choice([0.5, 1, 1.5]),
            "requestTimeout": rng.choice([1, 2]),
            "ignoreStatuses": [],
        }
        phases = []
        healthy = rng.random() < 0.3
        for _ in range(rng.randint(2, 4)):
            server = rng.choice(HEALTHY if healthy else UNHEALTHY)
            phases.append(f"{server}:{rng.randint(1, 8)}")
            healthy = not healthy
        schedule = ",".join(phases)
        name = f"generated-{len(fixtures) + 1:02d}"
        calls, _, around_reset = run(parameters, schedule, name)
        duration = calls[-1]["at"] + calls[-1]["latency"]
        margin = max(BOUNDARY_FRACTION * parameters["resetTimeout"], BOUNDARY_MIN_SECONDS)
        # Each generated schedule opens the circuit and sends at least one trial call.
        tried = any(call["trial"] for call in calls)
        if not tried or duration > 25 or (around_reset is not None and around_reset < margin):
            continue
        fixtures.append(
            fixture(name, f"generated (seed {GENERATOR_SEED})", parameters, schedule)
        )
    return fixtures


def to_json(item):
    """Indented JSON with one line per call, so a fixture reads like the lab's trace."""
    calls = ",\n".join(f"    {json.dumps(call)}" for call in item["calls"])
    head = json.dumps({**item, "calls": None}, indent=2)
    return head.replace('"calls": null', f'"calls": [\n{calls}\n  ]') + "\n"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    seed = fixture(
        "seed",
        "the seed's clients: FAILURES = 3, TIMEOUT = 6, server off for 10 calls then on for 10",
        {"failures": 3, "resetTimeout": 6, "delay": 1, "requestTimeout": 2, "ignoreStatuses": []},
        "off:10,on:10",
    )
    fixtures = [seed, *scenario_fixtures(), *generated_fixtures()]
    for item in fixtures:
        (OUT / f"{item['name']}.json").write_text(to_json(item))
    print(
        f"wrote {len(fixtures)} fixtures to {OUT.relative_to(ROOT)} "
        f"(circuitbreaker {metadata.version('circuitbreaker')})"
    )


if __name__ == "__main__":
    main()
