"""Serve the busiest pages with gunicorn and load them with wrk, beside a bare Flask app (run by hand).

For each database (a SQLite file in a temporary folder; a fresh PostgreSQL database
`participate_bench_<hex>`, dropped afterwards) this:

1. loads the demo (`python -m flask --app participate demo`), whose busiest consultation has 60
   options and 300 comments, and adds a closed consultation with 10,000 ballots whose result is
   stored at close (`services.results.on_consultation_closed`);
2. serves participate with `python -m gunicorn -w 2 wsgi:app`, and beside it the bare Flask app in
   `bench/bare_app.py` the same way, told the size of each of participate's pages so that each
   has a bare counterpart of the same weight;
3. loads each page with `wrk -t1 -c1` and `wrk -t2 -c20` (`--latency`): the consultation page, a
   ward page, the 10,000-ballot results page and the home page as an anonymous reader, and the
   consultation page signed in as the demo resident (a real sign-in through the form, CSRF and
   all; signed-in pages are never served from a cache);
4. prints requests/s, p50 and p99 latency, and the ratio to the bare page of the same size, and
   checks the target: the consultation page at one client serves at least a third of the bare
   consultation page's requests/s.

Run it by hand from the repository root (about 5 minutes a database with the default 10 s loads):

    python bench/pages.py
    python bench/pages.py --only sqlite --duration 5
    python bench/pages.py --only postgres --keep      # keep the database and print its URL

Needs `wrk` (Debian package `wrk`) and, for PostgreSQL, a server on 127.0.0.1 (`--pg`).
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402
from serving import (
    PG_SERVER,
    ROOT,
    Database,
    Gunicorn,
    app_env,
    flask,
    fresh_database,
    load_average,
    sign_in,
    wrk,
)  # noqa: E402

RESULT_BALLOTS = 10_000
TARGET = 1 / 3


@dataclass
class Page:
    name: str  # also the bare app's page name
    path: str
    signed_in: bool = False
    bare: str = ""  # the bare route it is compared with
    size: int = 0
    cache: str = "-"


def prepare(database: Database) -> tuple[int, int, str]:
    """Load the demo and the 10,000-ballot closed consultation; return their ids and the demo password."""
    started = time.perf_counter()
    flask(database, "demo")
    print(f"  demo loaded in {time.perf_counter() - started:.1f} s", flush=True)
    import sqlalchemy as sa
    from tally_db import build

    from participate import create_app
    from participate.extensions import db
    from participate.models import Consultation, Phase
    from participate.services.results import on_consultation_closed

    app = create_app({"SQLALCHEMY_DATABASE_URI": database.url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        flagship = db.session.scalar(
            sa.select(Consultation.id).where(Consultation.title.like("Somewhere safe for young people%"))
        )
        started = time.perf_counter()
        closed = build("approval", RESULT_BALLOTS, budget=True, rng=random.Random(2013))
        closed.title = f"Benchmark: {RESULT_BALLOTS:,} ballots"
        closed.phase = Phase.CLOSED
        on_consultation_closed(closed)
        db.session.commit()
        closed_id = closed.id
        print(
            f"  closed consultation with {RESULT_BALLOTS:,} ballots built and its result stored "
            f"in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        db.session.remove()
        db.engine.dispose()
    password = (database.instance / "demo_password").read_text().strip()
    return flagship, closed_id, password


def probe(base: str, page: Page, cookie: str | None) -> None:
    """The page's size, and whether a second request was a cache hit (X-Cache), from one GET each."""
    headers = {"Cookie": cookie} if cookie else {}
    requests.get(base + page.path, headers=headers, timeout=30)
    answer = requests.get(base + page.path, headers=headers, timeout=30, allow_redirects=False)
    if answer.status_code != 200:
        raise SystemExit(f"{page.path}: HTTP {answer.status_code}")
    page.size = len(answer.content)
    page.cache = answer.headers.get("X-Cache", "none")


def comments_shown(html: str) -> int:
    return len(re.findall(r'<li[^>]*class="comment[ "]', html))


def run(engine: str, args) -> list[tuple]:
    rows = []
    with fresh_database(engine, keep=args.keep, server=args.pg) as database:
        print(f"{engine}: preparing {database.url}", flush=True)
        flagship, closed, password = prepare(database)
        pages = [
            Page("consultation", f"/consultations/{flagship}", bare="/consultation"),
            Page("ward", "/wards/E05014098"),
            Page("results", f"/consultations/{closed}/results"),
            Page("home", "/"),
            Page(
                "consultation-signed-in", f"/consultations/{flagship}", signed_in=True, bare="/consultation"
            ),
        ]
        extra = {"REDIS_URL": args.redis} if args.redis else {}
        with Gunicorn("wsgi:app", app_env(database, **extra), workers=2) as app:
            voter = requests.Session()
            sign_in(voter, app.url, "resident@demo.participate.example", password)
            cookie = "; ".join(f"{c.name}={c.value}" for c in voter.cookies)
            for page in pages:
                probe(app.url, page, cookie if page.signed_in else None)
            shown = comments_shown(requests.get(app.url + pages[0].path, timeout=30).text)
            sizes = ",".join(f"{p.name}:{p.size}" for p in pages if not p.bare)
            bare_env = {
                "BARE_CONSULTATION_BYTES": str(pages[0].size),
                "BARE_COMMENTS": str(shown),
                "BARE_SIZES": sizes,
                "PYTHONPATH": "",
            }
            for page in pages:
                page.bare = page.bare or f"/page/{page.name}"
            with Gunicorn(
                "bare_app:app", {**app_env(database), **bare_env}, workers=2, cwd=ROOT / "bench"
            ) as bare:
                print(f"  participate: {app.command}; bare: {bare.command} (from bench/)")
                print(f"  the consultation page shows {shown} comments; the bare one has the same number")
                for page in pages:
                    print(
                        f"  {page.name:<24} {page.path:<28} {page.size:>7,} bytes  X-Cache: {page.cache}",
                        flush=True,
                    )
                bare_routes = sorted({p.bare for p in pages} | {"/consultation-300", "/hello"})
                for clients in (1, 20):
                    threads = 1 if clients == 1 else 2
                    measured = {}
                    for route in bare_routes:
                        measured[route] = wrk(bare.url + route, threads, clients, args.duration)
                        size = len(requests.get(bare.url + route, timeout=30).content)
                        rows.append((engine, f"bare {route}", clients, measured[route], None, size, "-"))
                        report(rows[-1])
                    for page in pages:
                        load = wrk(
                            app.url + page.path,
                            threads,
                            clients,
                            args.duration,
                            cookie if page.signed_in else None,
                        )
                        ratio = load.requests_per_s / measured[page.bare].requests_per_s
                        rows.append((engine, page.name, clients, load, ratio, page.size, page.cache))
                        report(rows[-1])
    return rows


def report(row) -> None:
    engine, name, clients, load, ratio, size, cache = row
    errors = f"  {load.errors} errors" if load.errors else ""
    print(
        f"  {engine:<8} {name:<26} {clients:>3} {load.requests_per_s:>9.1f} {load.p50_ms:>8.2f} "
        f"{load.p99_ms:>8.2f} {'' if ratio is None else f'{ratio:.2f}':>6} {size:>8,} {cache:>5}{errors}",
        flush=True,
    )


HEADER = (
    f"  {'engine':<8} {'page':<26} {'c':>3} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
    f"{'ratio':>6} {'bytes':>8} {'cache':>5}"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--pg", default=PG_SERVER, help="PostgreSQL server for the fresh database")
    parser.add_argument("--redis", help="REDIS_URL for the app processes (rate limits, page cache)")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args()
    print(
        f"{time.strftime('%Y-%m-%d %H:%M')}; {platform.node()}; Python {platform.python_version()}; "
        f"load average {load_average()}"
    )
    print(HEADER)
    rows = []
    for engine in ("sqlite", "postgres"):
        if args.only in (None, engine):
            rows += run(engine, args)
    print(f"\nload average at the end {load_average()}\n")
    print("ratio: participate's requests/s over the bare page of the same weight, same clients, same run")
    print("(consultation pages: bare /consultation, the same layout, 60 options and as many comments;")
    print(" the other pages: a bare list page of the same size)\n")
    print(HEADER)
    for row in rows:
        report(row)
    print()
    for engine in ("sqlite", "postgres"):
        for row in rows:
            if row[0] == engine and row[1] == "consultation" and row[2] == 1:
                verdict = "PASS" if row[4] >= TARGET else "FAIL"
                print(
                    f"{verdict}  {engine}: consultation page at one client serves {row[4]:.2f} of the bare "
                    f"route's requests/s (target at least {TARGET:.2f})"
                )
    print(
        f"\nrerun: python bench/pages.py{' --only ' + args.only if args.only else ''} "
        f"--duration {args.duration}"
    )


if __name__ == "__main__":
    main()
