"""Time the budgeting rules on the Pabulib instances, ours beside pabutools.

Run from the repository root:

    python bench/budgeting.py                       # everything live (pabutools takes ~15 min)
    python bench/budgeting.py --use-reference       # pabutools times/results from reference.json
    python bench/budgeting.py --skip-pabutools-large  # pabutools only on Dieppe and Cambridge
    python bench/budgeting.py --write-reference     # re-run pabutools, rewrite reference.json

Each row shows both timings, the speed-up and whether the funded sets agree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from participate.voting import pabulib  # noqa: E402

DATA = ROOT / "tests" / "data" / "pabulib"
REFERENCE = DATA / "reference.json"
SMALL = (
    "Canada_Stanford_Dataset_PB_Dieppe_2018_vote_approvals.pb",
    "US_Stanford_Dataset_PB_Cambridge_2019_vote_approvals.pb",
)
RULES = ("greedy", "equal_shares")
SATS = ("cost", "cardinal")
RERUN = "python bench/budgeting.py"


def instance_files() -> list[Path]:
    """The .pb files in tests/data/pabulib, smallest first."""
    return sorted(DATA.glob("*.pb"), key=lambda p: p.stat().st_size)


def _reference_task(path: str, sat: str, rule: str) -> tuple[str, str, str, list[str], float]:
    from participate.voting import pabutools_reference as ref

    election = pabulib.load(path).to_election()
    start = time.perf_counter()
    funded = getattr(ref, rule)(election, sat)
    seconds = time.perf_counter() - start
    return Path(path).name, sat, rule, [str(p) for p in funded], seconds


def _describe(path: Path) -> dict:
    data = pabulib.load(path)
    return {
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "num_projects": len(data.projects),
        "num_votes": len(data.votes),
        "budget": int(data.budget),
        "vote_type": data.vote_type,
    }


def write_reference(jobs: int) -> None:
    """Run pabutools on every instance and rule, saving funded sets and times to reference.json."""
    import pabutools
    from pabutools import fractions

    from participate.voting import pabutools_reference as ref

    files = instance_files()
    out = {
        "description": "Funded projects according to pabutools, the reference for "
        "participate.voting.budgeting. Project ids in pabutools' selection order.",
        "generated_by": "python bench/budgeting.py --write-reference",
        "pabutools_version": pabutools.__version__
        if hasattr(pabutools, "__version__")
        else _dist_version("pabutools"),
        "pabutools_fractions": fractions.FRACTION,
        "python": platform.python_version(),
        "date": dt.date.today().isoformat(),
        "conversion": "participate.voting.pabutools_reference.to_pabutools(election, sat): "
        "Project(str(id), cost); ApprovalProfile of ApprovalBallot (sat 'cost') or "
        "CardinalProfile of CardinalBallot (sat 'cardinal'); Instance(budget_limit=budget)",
        "calls": {sat: ref.calls(sat) for sat in SATS},
        "instances": {f.name: {**_describe(f), **{sat: {} for sat in SATS}} for f in files},
    }
    # Longest first so that two workers finish at about the same time.
    tasks = sorted(
        ((str(f), sat, rule) for f in files for sat in SATS for rule in RULES),
        key=lambda t: (-Path(t[0]).stat().st_size, t[2] != "equal_shares"),
    )
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_reference_task, *t) for t in tasks]
        for future in as_completed(futures):
            name, sat, rule, funded, seconds = future.result()
            out["instances"][name][sat][rule] = {"funded": funded, "seconds": round(seconds, 3)}
            print(f"{name:60} {sat:9} {rule:13} {seconds:9.2f} s  {len(funded)} funded", flush=True)
            REFERENCE.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {REFERENCE.relative_to(ROOT)}")


def _dist_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def _best_time(fn, repeat: int) -> tuple[float, object]:
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def compare(args: argparse.Namespace) -> int:
    """Time our engine and pabutools (live or recorded) and print the table."""
    from participate.voting import budgeting
    from participate.voting import pabutools_reference as ref

    recorded = json.loads(REFERENCE.read_text()) if REFERENCE.exists() else {"instances": {}}
    files = [f for f in instance_files() if not args.only or any(o in f.name for o in args.only)]
    header = (
        f"{'instance':34} {'sat':8} {'rule':12} {'voters':>7} {'ours s':>8} "
        f"{'pabutools s':>12} {'speed-up':>9}  same"
    )
    print(header)
    print("-" * len(header))
    mismatches = 0
    for path in files:
        election = pabulib.load(path).to_election()
        short = path.stem.replace("_vote_approvals", "").replace("_Stanford_Dataset_PB", "")
        for sat in args.sat:
            for rule in RULES:
                ours_s, outcome = _best_time(
                    lambda r=rule, s=sat, e=election: getattr(budgeting, r)(e, sat=s), args.repeat
                )
                ours = [str(p) for p in outcome.funded]
                entry = recorded["instances"].get(path.name, {}).get(sat, {}).get(rule)
                if args.use_reference or (args.skip_pabutools_large and path.name not in SMALL):
                    if entry is None:
                        theirs, theirs_s, source = None, None, "n/a"
                    else:
                        theirs, theirs_s, source = entry["funded"], entry["seconds"], "recorded"
                else:
                    theirs_s, funded = _best_time(lambda r=rule, s=sat, e=election: getattr(ref, r)(e, s), 1)
                    theirs, source = [str(p) for p in funded], "live"
                same = "n/a" if theirs is None else ("yes" if set(theirs) == set(ours) else "NO")
                mismatches += same == "NO"
                speed = f"{theirs_s / ours_s:8.0f}x" if theirs_s else f"{'':9}"
                their_col = f"{theirs_s:9.2f} {source[0]}" if theirs_s else f"{'':12}"
                print(
                    f"{short[:34]:34} {sat:8} {rule:12} {len(election.ballots):7d} "
                    f"{ours_s:8.3f} {their_col:>12} {speed}  {same}",
                    flush=True,
                )
    print()
    print("pabutools column: l = timed live now, r = recorded in tests/data/pabulib/reference.json")
    print(
        f"ours: best of {args.repeat} runs. Python {platform.python_version()}, "
        f"{platform.machine()}, {_cpu_count()} cores, {dt.date.today().isoformat()}"
    )
    print(f"rerun: {RERUN} {' '.join(sys.argv[1:])}".rstrip())
    return 1 if mismatches else 0


def _cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def main() -> int:
    """Parse the command line and run the benchmark or the reference generation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--write-reference",
        action="store_true",
        help="run pabutools on every instance and rewrite reference.json",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=2,
        help="parallel pabutools runs for --write-reference (default 2)",
    )
    parser.add_argument(
        "--use-reference",
        action="store_true",
        help="take pabutools' results and times from reference.json",
    )
    parser.add_argument(
        "--skip-pabutools-large",
        action="store_true",
        help="run pabutools live only on the two small instances",
    )
    parser.add_argument(
        "--sat",
        nargs="+",
        choices=SATS,
        default=["cost"],
        help="satisfaction measures to time (default: cost)",
    )
    parser.add_argument("--only", nargs="*", help="substrings of instance file names to keep")
    parser.add_argument("--repeat", type=int, default=3, help="runs of our engine, best kept")
    args = parser.parse_args()
    if args.write_reference:
        write_reference(args.jobs)
        return 0
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
