"""Time the pure-Python tally of 100,000 ballots x 30 options, approval and quadratic.

Run from the repository root:

    python bench/tally_pure.py                  # 100,000 ballots, 30 options, best of 5
    python bench/tally_pure.py --ballots 250000 --options 40 --repeat 3

Ballots are plain dicts (option id -> votes), as the web layer would hold them after
validation. "full" ballots name every option (0 or 1); "sparse" ones only the approved options.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from participate.voting.rules import QuadraticRules, validate  # noqa: E402
from participate.voting.tally import tally, tally_from_aggregates  # noqa: E402

RERUN = "python bench/tally_pure.py"


def make_ballots(kind: str, n: int, option_ids: list[int], rng: random.Random) -> list[dict]:
    """Generate n valid ballots of the given kind."""
    if kind == "approval full":
        return [{o: int(rng.random() < 0.3) for o in option_ids} for _ in range(n)]
    if kind == "approval sparse":
        return [{o: 1 for o in option_ids if rng.random() < 0.3} for _ in range(n)]
    ballots = []
    for _ in range(n):
        # Spend up to 100 credits across about 8 options, some against.
        ballot = {}
        left = 100
        for o in rng.sample(option_ids, 8):
            top = int(left**0.5)
            v = rng.randint(-top, top)
            left -= v * v
            if v:
                ballot[o] = v
        ballots.append(ballot)
    return ballots


def best_of(repeat: int, fn) -> float:
    """Fastest of `repeat` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    """Build the ballots, time each tally and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--options", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    option_ids = list(range(1001, 1001 + args.options))
    costs = {o: rng.choice([None, 250_000, 500_000, 1_000_000]) for o in option_ids}
    print(f"{args.ballots:,} ballots x {args.options} options, best of {args.repeat}")
    print(f"{'ballots':18} {'entries':>10} {'tally s':>9} {'aggregates s':>13}")
    for kind, method in (
        ("approval full", "approval"),
        ("approval sparse", "approval"),
        ("quadratic", "quadratic"),
    ):
        ballots = make_ballots(kind, args.ballots, option_ids, rng)
        entries = sum(map(len, ballots))
        seconds = best_of(args.repeat, lambda b=ballots, m=method: tally(m, option_ids, b, costs))
        result = tally(method, option_ids, ballots, costs)
        sums = {
            o.option_id: (o.votes, o.votes_for, o.votes_against, o.n_for, o.n_against) for o in result.options
        }
        agg_seconds = best_of(
            args.repeat,
            lambda m=method, s=sums: tally_from_aggregates(m, option_ids, s, args.ballots, costs),
        )
        print(f"{kind:18} {entries:10,d} {seconds:9.3f} {agg_seconds:13.5f}")
    sample = [(o, str(rng.randint(0, 3))) for o in option_ids[:8]]
    rules = QuadraticRules()
    per_ballot = best_of(args.repeat, lambda: [validate(rules, option_ids, sample)] * 1) * 1e6
    print(f"validate one 8-entry quadratic ballot: {per_ballot:.0f} microseconds")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"Python {platform.python_version()}, {platform.machine()}, {cores} cores, "
        f"{dt.date.today().isoformat()}"
    )
    print(f"rerun: {RERUN} {' '.join(sys.argv[1:])}".rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
