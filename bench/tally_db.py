"""Time the count from the database: 100,000 ballots x 30 options, for each voting method.

For each database (SQLite in a temporary file; PostgreSQL in a fresh database on 127.0.0.1,
dropped afterwards) and each method, this builds a borough-wide consultation with 30 options and
100,000 ballots spread over the wards, then times:

- the tally: the SQL aggregates by ward and option, and the ranking (`services.results.compute`
  on a consultation without a budget) -- what a live results page or `tally` runs;
- the budget rules: the same with a budget, which reads every ballot and runs greedy and the
  Method of Equal Shares (`participate.voting.budgeting`) -- what closing a consultation runs once;
- the results page of the closed consultation, read from the stored result.

Run it by hand (it takes a few minutes; nothing here is part of the test suite):

    python bench/tally_db.py                       # both databases, both methods
    python bench/tally_db.py --ballots 20000       # smaller
    python bench/tally_db.py --only sqlite
    python bench/tally_db.py --pg postgresql://postgres@127.0.0.1:5432/postgres

The figures in docs/performance.md ("Tally from the database") come from this script.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))

import sqlalchemy as sa  # noqa: E402

OPTIONS = 30
BATCH = 10_000


@contextmanager
def timed(label: str, results: dict):
    start = time.perf_counter()
    yield
    results[label] = time.perf_counter() - start


def _ballot(rng: random.Random, method: str, ids: list[int]) -> dict[int, int]:
    if method == "approval":
        return dict.fromkeys(rng.sample(ids, rng.randint(1, 6)), 1)
    credits, votes = 100, {}
    for option in rng.sample(ids, rng.randint(1, 6)):
        n = rng.choice([1, 1, 2, 2, 3, 4, 5, -1, -2])
        if n * n <= credits:
            votes[option] = n
            credits -= n * n
    return votes


def build(method: str, n_ballots: int, budget: bool, rng: random.Random):
    """A borough-wide consultation with OPTIONS options and n_ballots ballots, inserted in bulk."""
    from participate.extensions import db
    from participate.models import (
        Ballot,
        BallotEntry,
        Consultation,
        Option,
        Phase,
        ProviderType,
        VotingMethod,
        Ward,
        utcnow,
    )
    from participate.services.receipts import new_receipt

    now = utcnow()
    consultation = Consultation(
        title=f"Benchmark {method}",
        outcome_statement="Benchmark.",
        method=VotingMethod(method),
        phase=Phase.VOTING,
        is_borough_wide=True,
        allow_negative=True,
        options_open_at=now,
        voting_open_at=now,
        voting_close_at=now,
        budget_pence=5_000_000_00 if budget else None,
    )
    db.session.add(consultation)
    for i in range(OPTIONS):
        db.session.add(
            Option(
                consultation=consultation,
                title=f"Option {i + 1}",
                description="",
                provider_type=ProviderType.IN_HOUSE,
                estimated_cost_pence=rng.randint(10, 900) * 1000_00,
            )
        )
    db.session.commit()
    ids = list(db.session.scalars(sa.select(Option.id).where(Option.consultation_id == consultation.id)))
    wards = list(db.session.scalars(sa.select(Ward.id)))
    for start in range(0, n_ballots, BATCH):
        size = min(BATCH, n_ballots - start)
        receipts = [new_receipt() for _ in range(size)]
        db.session.execute(
            sa.insert(Ballot),
            [
                {"consultation_id": consultation.id, "receipt": r, "ward_id": rng.choice(wards)}
                for r in receipts
            ],
        )
        by_receipt = dict(
            db.session.execute(sa.select(Ballot.receipt, Ballot.id).where(Ballot.receipt.in_(receipts))).all()
        )
        entries = [
            {"ballot_id": by_receipt[r], "option_id": o, "votes": v}
            for r in receipts
            for o, v in _ballot(rng, method, ids).items()
        ]
        db.session.execute(sa.insert(BallotEntry), entries)
        db.session.commit()
    return consultation


def run(url: str, n_ballots: int, label: str) -> list[tuple]:
    from flask_migrate import upgrade

    from participate import MIGRATIONS_DIR, create_app
    from participate.extensions import db
    from participate.models import Phase
    from participate.services.results import compute, on_consultation_closed, result_for
    from participate.services.wards import import_wards

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "TESTING": True})
    rows = []
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        import_wards(ROOT / "participate" / "data" / "lambeth_wards.csv")
        db.session.commit()
        for method in ("approval", "quadratic"):
            rng = random.Random(2013)
            times: dict[str, float] = {}
            with timed("build", times):
                plain = build(method, n_ballots, budget=False, rng=rng)
            with timed("tally", times):
                document = compute(plain)
            assert document["ballots"] == n_ballots
            rng = random.Random(2013)
            funded = build(method, n_ballots, budget=True, rng=rng)
            with timed("tally + budget rules", times):
                compute(funded)
            funded.phase = Phase.CLOSED
            on_consultation_closed(funded)
            db.session.commit()
            with timed("stored result", times):
                result_for(funded)
            entries = db.session.scalar(sa.text("SELECT count(*) FROM ballot_entries"))
            rows.append((label, method, n_ballots, entries, times))
            print(
                f"{label:<10} {method:<9} build {times['build']:6.1f}s  tally {times['tally']:6.2f}s  "
                f"tally + budget rules {times['tally + budget rules']:6.2f}s  "
                f"stored result {times['stored result'] * 1000:5.1f}ms",
                flush=True,
            )
        db.session.remove()
        db.engine.dispose()
    return rows


def postgres(server: str, n_ballots: int) -> list[tuple]:
    """Run on a fresh PostgreSQL database, dropped afterwards."""
    from sqlalchemy.engine import make_url

    base = make_url(server)
    if base.drivername in ("postgres", "postgresql"):
        base = base.set(drivername="postgresql+psycopg")
    name = f"participate_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        return run(base.set(database=name).render_as_string(hide_password=False), n_ballots, "PostgreSQL")
    finally:
        with admin.connect() as conn:
            conn.execute(
                sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    python = sys.version.split()[0]
    print(f"{args.ballots} ballots x {OPTIONS} options; Python {python}, SQLAlchemy {sa.__version__}")
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{folder}/bench.sqlite3", args.ballots, "SQLite")
    if args.only in (None, "postgresql"):
        postgres(args.pg, args.ballots)


if __name__ == "__main__":
    main()
