"""Time the busiest deliberation pages on the demo data and count their SQL queries (run by hand).

    flask --app participate demo
    python -m bench.deliberation_pages [--runs 20]

Uses the database in DATABASE_URL (or the instance SQLite file), as the demo left it: the
consultation with 60 options and 300 comments, its busiest option, a ward page, the moderation
queue and log, signed out and as the demo councillor.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time

import sqlalchemy as sa

from participate import create_app
from participate.extensions import db
from participate.models import Comment, Consultation, Option, User


@contextlib.contextmanager
def query_counter():
    """Collect the SQL statements the app's engine runs inside the block."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)


def _pages() -> list[tuple[str, str | None]]:
    flagship = db.session.scalar(
        sa.select(Consultation).where(Consultation.title.like("Somewhere safe for young people%"))
    )
    if flagship is None:
        raise SystemExit("No demo data: run `flask --app participate demo` first.")
    busiest = db.session.scalar(
        sa.select(Option.id)
        .join(Comment, Comment.option_id == Option.id)
        .where(Option.consultation_id == flagship.id)
        .group_by(Option.id)
        .order_by(sa.func.count(Comment.id).desc())
        .limit(1)
    )
    return [
        (f"/consultations/{flagship.id}", None),
        (f"/consultations/{flagship.id}", "councillor"),
        (f"/consultations/{flagship.id}/options/{busiest}", None),
        ("/wards/E05014098", None),
        ("/wards/E05014098/proposals?q=young", None),
        ("/moderation/", "councillor"),
        ("/wards/E05014098/moderation-log", None),
        (f"/api/v1/consultations/{flagship.id}/options", None),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        pages = _pages()
        councillor = db.session.scalar(sa.select(User).where(User.email.like("councillor@%")))
        session_id = councillor.get_id()
    print(f"{'page':<48} {'as':<11} {'queries':>7} {'median ms':>10} {'p90 ms':>8} {'KB':>5}")
    for url, who in pages:
        client = app.test_client()
        if who:
            with client.session_transaction() as session:
                session["_user_id"], session["_fresh"] = session_id, True
        client.get(url)
        with app.app_context(), query_counter() as statements:
            size = len(client.get(url).data)
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        p90 = statistics.quantiles(timings, n=10)[-1]
        print(
            f"{url:<48} {who or 'anonymous':<11} {len(statements):>7} "
            f"{statistics.median(timings):>10.1f} {p90:>8.1f} {size // 1024:>5}"
        )


if __name__ == "__main__":
    main()
