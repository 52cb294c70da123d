"""Sustained ballot submissions through the HTTP form, on PostgreSQL, several app processes (run by hand).

In a fresh PostgreSQL database (`participate_bench_<hex>`, dropped afterwards) this makes 200
residents with passwords across the wards and an approval consultation open for voting, then
serves the app with gunicorn -- by default two gunicorn masters on two ports with one worker
each, as two hosts behind a load balancer would be, sharing rate limits through Redis db 15 --
and runs 200 simulated voters, one thread each (`requests`), spread over the masters:

- before the timed window every voter signs in through the form (GET /sign-in, POST with the
  CSRF token), so that sign-in's deliberately slow password hash is not counted;
- in the timed window each voter repeatedly GETs the ballot page and POSTs a ballot with the
  page's CSRF token, approving a random set of options; the first POST casts the ballot, later
  ones change it. A POST counts when the app acknowledges it: a redirect to the receipt.

With `--load wrk` (the default) the timed window is driven by `wrk` instead of Python threads,
so that the load tool takes as little of the machine as possible: each voter first fetches the
ballot page once (untimed, like signing in) for its CSRF token, then one `wrk` per app process
POSTs ballots through the form in turn for every voter (the voter's own session cookie and
token, a different choice of options each time) and counts every answer that is not the
redirect to the receipt. After the window every voter casts one last ballot from Python, whose
receipt and choice are then checked against the database. `--load threads` keeps the Python
voters, each doing GET + POST in the window.

Afterwards it checks the database: exactly one ballot per voter who was acknowledged, none for
anyone else, each ballot's receipt the one the voter was shown and its entries exactly the
voter's last acknowledged choice. It prints ballots (acknowledged POSTs) per second against the
target of 300, PASS or FAIL, and with `--profile N` profiles N ballot POSTs in-process with
cProfile to show where the time goes.

    python bench/ballots.py                          # 200 voters, 30 s, two masters x 1 worker, wrk
    python bench/ballots.py --load threads           # Python voters: GET the page, POST, repeat
    python bench/ballots.py --masters 1 --workers 2  # one gunicorn with two workers
    python bench/ballots.py --duration 10 --profile 200
"""

from __future__ import annotations

import argparse
import cProfile
import io
import platform
import pstats
import random
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402
from requests.adapters import HTTPAdapter  # noqa: E402
from serving import (  # noqa: E402
    PG_SERVER,
    Database,
    Gunicorn,
    app_env,
    csrf_token,
    fresh_database,
    load_average,
    sign_in,
)

TARGET = 300
OPTIONS = 12
PASSWORD = "bench-voter-password-2026"


def prepare(database: Database, voters: int) -> tuple[int, list[int], list[str]]:
    """Migrate, load the wards, make the voters and an open approval consultation."""
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from participate import MIGRATIONS_DIR, PROJECT_ROOT, create_app
    from participate.extensions import db
    from participate.models import Consultation, Option, Phase, ProviderType, User, VotingMethod, Ward, utcnow
    from participate.services import accounts
    from participate.services.wards import import_wards

    app = create_app({"SQLALCHEMY_DATABASE_URI": database.url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        import_wards(PROJECT_ROOT / "participate" / "data" / "lambeth_wards.csv")
        db.session.commit()
        wards = list(db.session.scalars(sa.select(Ward).order_by(Ward.code)))
        first = accounts.create_user(
            email="voter-0@bench.example", password=PASSWORD, wards=[wards[0]], verified=True
        )
        emails = [first.email]
        for n in range(1, voters):
            user = accounts.create_user(
                email=f"voter-{n}@bench.example", wards=[wards[n % len(wards)]], verified=True
            )
            user.password_hash = first.password_hash  # one slow hash is enough: same password
            emails.append(user.email)
        db.session.commit()
        now = utcnow()
        consultation = Consultation(
            title="Benchmark: ballots through the form",
            outcome_statement="Benchmark.",
            method=VotingMethod.APPROVAL,
            phase=Phase.VOTING,
            is_borough_wide=True,
            options_open_at=now,
            voting_open_at=now,
            voting_close_at=now.replace(year=now.year + 1),
        )
        db.session.add(consultation)
        for i in range(OPTIONS):
            db.session.add(
                Option(
                    consultation=consultation,
                    title=f"Option {i + 1}",
                    description="",
                    provider_type=ProviderType.IN_HOUSE,
                )
            )
        db.session.commit()
        ids = list(db.session.scalars(sa.select(Option.id).where(Option.consultation_id == consultation.id)))
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == voters
        cid = consultation.id
        db.session.remove()
        db.engine.dispose()
    return cid, ids, emails


@dataclass
class Voter:
    email: str
    base: str
    session: requests.Session = field(default_factory=requests.Session)
    acknowledged: int = 0
    in_window: int = 0
    refused: int = 0
    last: frozenset[int] | None = None
    receipt: str | None = None
    get_ms: list[float] = field(default_factory=list)
    post_ms: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    token: str = ""


RECEIPT = re.compile(r"/receipt/([^/?#]+)$")


def cast(voter: Voter, consultation: int, choice: frozenset[int], token: str) -> requests.Response:
    """POST one ballot through the form; when the app acknowledges it, remember what the voter
    was told (the receipt, the choice). Returns the answer."""
    answer = voter.session.post(
        f"{voter.base}/consultations/{consultation}/ballot",
        data={
            "csrf_token": token,
            "website": "",
            "consultation": str(consultation),
            "approve": [str(o) for o in sorted(choice)],
            "action": "cast",
        },
        allow_redirects=False,
        timeout=120,
    )
    found = RECEIPT.search(answer.headers.get("Location", ""))
    answer.acknowledged = answer.status_code == 302 and found is not None
    if answer.acknowledged:
        if voter.receipt not in (None, found.group(1)):
            voter.problems.append(f"receipt changed {voter.receipt} -> {found.group(1)}")
        voter.receipt, voter.last = found.group(1), choice
        voter.acknowledged += 1
    return answer


def vote(voter: Voter, consultation: int, ids: list[int], window: list, start: threading.Barrier, seed: int):
    rng = random.Random(seed)
    url = f"{voter.base}/consultations/{consultation}/ballot"
    start.wait()
    start.wait()  # the second time: the window's end is set
    stop = window[0]
    while time.monotonic() < stop:
        t0 = time.perf_counter()
        page = voter.session.get(url, timeout=120)
        t1 = time.perf_counter()
        if page.status_code != 200:
            voter.refused += 1
            voter.problems.append(f"GET {page.status_code}")
            continue
        choice = frozenset(rng.sample(ids, rng.randint(1, 5)))
        answer = cast(voter, consultation, choice, csrf_token(page.text))
        t2 = time.perf_counter()
        if answer.acknowledged:
            voter.get_ms.append((t1 - t0) * 1000)
            voter.post_ms.append((t2 - t1) * 1000)
            if time.monotonic() <= stop:
                voter.in_window += 1
        else:
            voter.refused += 1
            voter.problems.append(f"POST {answer.status_code}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")


def verify(database: Database, consultation: int, voters: list[Voter]) -> list[str]:
    """Compare the database with what each voter was told; return the discrepancies."""
    import sqlalchemy as sa

    engine = sa.create_engine(database.url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT u.email, b.id, b.receipt FROM ballots b JOIN users u ON u.id = b.voter_id "
                "WHERE b.consultation_id = :c"
            ),
            {"c": consultation},
        ).all()
        entries: dict[int, set[int]] = {}
        for ballot_id, option_id, votes in conn.execute(
            sa.text(
                "SELECT e.ballot_id, e.option_id, e.votes FROM ballot_entries e "
                "JOIN ballots b ON b.id = e.ballot_id WHERE b.consultation_id = :c"
            ),
            {"c": consultation},
        ):
            # An approval entry is one vote; anything else is recorded as its negative id.
            entries.setdefault(ballot_id, set()).add(option_id if votes == 1 else -option_id)
    engine.dispose()
    problems = []
    by_email: dict[str, list] = {}
    for email, ballot_id, receipt in rows:
        by_email.setdefault(email, []).append((ballot_id, receipt))
    for voter in voters:
        stored = by_email.pop(voter.email, [])
        if voter.acknowledged == 0:
            if stored:
                problems.append(f"{voter.email}: a ballot that was never acknowledged")
            continue
        if len(stored) != 1:
            problems.append(f"{voter.email}: {len(stored)} ballots")
            continue
        ballot_id, receipt = stored[0]
        if receipt != voter.receipt:
            problems.append(f"{voter.email}: receipt {receipt}, shown {voter.receipt}")
        if entries.get(ballot_id, set()) != set(voter.last):
            problems.append(
                f"{voter.email}: entries {sorted(entries.get(ballot_id, []))} != {sorted(voter.last)}"
            )
    for email in by_email:
        problems.append(f"{email}: a ballot from someone who did not vote")
    return problems


def profile(database: Database, consultation: int, ids: list[int], n: int) -> str:
    """Profile n ballot POSTs in-process (Flask test client, same database) with cProfile."""
    from participate import create_app

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database.url, "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False}
    )
    client = app.test_client()
    client.post("/sign-in", data={"email": "voter-0@bench.example", "password": PASSWORD, "website": ""})
    url = f"/consultations/{consultation}/ballot"
    rng = random.Random(1)

    def post():
        data = {
            "consultation": str(consultation),
            "approve": [str(o) for o in rng.sample(ids, 3)],
            "website": "",
        }
        answer = client.post(url, data=data)
        assert answer.status_code == 302, answer.status_code

    post()
    import sqlalchemy as sa

    from participate.extensions import db

    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *rest):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    post()
    per_post = len(statements)
    client.get(url)
    per_get = len(statements) - per_post
    sa.event.remove(engine, "before_cursor_execute", count)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(n):
        post()
    profiler.disable()
    elapsed = time.perf_counter() - started
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(30)
    head = (
        f"SQL statements: {per_post} per ballot POST, {per_get} per ballot GET (signed in)\n"
        f"{n} ballot POSTs in-process in {elapsed:.2f} s: {elapsed / n * 1000:.1f} ms each (under cProfile)\n"
    )
    return head + out.getvalue()


LUA = """
local voters = {%(voters)s}
local options = {%(options)s}
local path = "%(path)s"
local n = 0
refused = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(%(seed)d)
end

function request()
  n = n + 1
  local v = voters[(n %% #voters) + 1]
  local k = math.random(1, 5)
  local start = math.random(0, #options - 1)
  local body = "csrf_token=" .. v[2] .. "&website=&action=cast&consultation=%(consultation)d"
  for i = 0, k - 1 do
    body = body .. "&approve=" .. options[((start + i) %% #options) + 1]
  end
  local headers = {["Cookie"] = v[1], ["Content-Type"] = "application/x-www-form-urlencoded"}
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status ~= 302 then
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("refused")
  end
  io.write(string.format("refused: %%d\\n", total))
end
"""


def wrk_ballots(
    masters, voters: list[Voter], consultation: int, ids: list[int], duration: float, connections: int
):
    """POST ballots with one wrk per app process; return (acknowledged, refused, p50, p99) summed."""
    import os
    import subprocess
    import tempfile
    from urllib.parse import quote

    from serving import Load

    procs = []
    folder = Path(tempfile.mkdtemp(prefix="participate-bench-"))
    for m, master in enumerate(masters):
        own = [v for v in voters if v.base == master.url]
        rows = []
        for voter in own:
            cookie = "; ".join(f"{c.name}={c.value}" for c in voter.session.cookies)
            lua_cookie = cookie.replace('"', '\\\\"')
            rows.append(f'{{"{lua_cookie}", "{quote(voter.token, safe="")}"}}')
        script = folder / f"ballots-{m}.lua"
        script.write_text(
            LUA
            % {
                "voters": ", ".join(rows),
                "options": ", ".join(str(i) for i in ids),
                "path": f"/consultations/{consultation}/ballot",
                "consultation": consultation,
                "seed": m + 1,
            }
        )
        command = [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{int(duration)}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(script),
            f"{master.url}/consultations/{consultation}/ballot",
        ]
        procs.append(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    outputs = [proc.communicate()[0] for proc in procs]
    acknowledged = refused = 0
    p50s, p99s = [], []
    for output in outputs:
        load = Load.parse(output)
        found = re.search(r"refused: (\d+)", output)
        if found is None:
            raise SystemExit("wrk did not report:\n" + output)
        refused += int(found.group(1))
        acknowledged += load.requests - int(found.group(1))
        p50s.append(load.p50_ms)
        p99s.append(load.p99_ms)
    for file in folder.iterdir():
        os.unlink(file)
    folder.rmdir()
    return acknowledged, refused, max(p50s), max(p99s), outputs


def last_ballots(voters: list[Voter], consultation: int, ids: list[int]) -> None:
    """Every voter casts one final ballot from Python; what they are told is what is checked."""
    rng = random.Random(99)

    def one(voter: Voter):
        answer = cast(voter, consultation, frozenset(rng.sample(ids, 3)), voter.token)
        if not answer.acknowledged:
            voter.problems.append(f"last POST {answer.status_code}")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, voters))


def receipts_before(voters: list[Voter], consultation: int) -> None:
    """Fetch each voter's ballot page once (untimed): its CSRF token, and the receipt if any."""

    def one(voter: Voter):
        page = voter.session.get(f"{voter.base}/consultations/{consultation}/ballot", timeout=120)
        page.raise_for_status()
        voter.token = csrf_token(page.text)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, voters))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of the timed window")
    parser.add_argument("--masters", type=int, default=2, help="gunicorn masters, each on its own port")
    parser.add_argument("--workers", type=int, default=1, help="workers per gunicorn master")
    parser.add_argument("--pg", default=PG_SERVER)
    parser.add_argument(
        "--redis", default="redis://127.0.0.1:6379/15", help="shared rate limits; '' for none"
    )
    parser.add_argument("--load", choices=["wrk", "threads"], default="wrk", help="what drives the window")
    parser.add_argument("--connections", type=int, default=10, help="wrk connections per app process")
    parser.add_argument("--profile", type=int, default=0, help="then profile this many ballot POSTs")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    print(
        f"{time.strftime('%Y-%m-%d %H:%M')}; {platform.node()}; Python {platform.python_version()}; "
        f"load average {load_average()}"
    )
    with fresh_database("postgres", keep=args.keep, server=args.pg) as database:
        started = time.perf_counter()
        consultation, ids, emails = prepare(database, args.voters)
        print(f"{args.voters} voters and the consultation made in {time.perf_counter() - started:.1f} s")
        extra = {
            "SIGN_IN_LIMIT": "100000 per minute",
            "RATELIMIT_KEY_PREFIX": f"bench-{database.instance.name}",
        }
        if args.redis:
            extra["REDIS_URL"] = args.redis
        masters = [
            Gunicorn("wsgi:app", app_env(database, **extra), workers=args.workers)
            for _ in range(args.masters)
        ]
        try:
            for master in masters:
                master.__enter__()
                print(f"app: {master.command}")
            voters = [Voter(email, masters[i % len(masters)].url) for i, email in enumerate(emails)]
            for voter in voters:
                voter.session.mount("http://", HTTPAdapter(pool_connections=1, pool_maxsize=1))
            started = time.perf_counter()
            with ThreadPoolExecutor(16) as pool:
                list(pool.map(lambda v: sign_in(v.session, v.base, v.email, PASSWORD), voters))
            print(f"{len(voters)} voters signed in through the form in {time.perf_counter() - started:.1f} s")
            if args.load == "wrk":
                receipts_before(voters, consultation)
                load_before = load_average()
                acknowledged, refused, p50, p99, outputs = wrk_ballots(
                    masters, voters, consultation, ids, args.duration, args.connections
                )
                load_after = load_average()
                last_ballots(voters, consultation, ids)
            else:
                barrier = threading.Barrier(len(voters) + 1)
                stop_box: list[float] = []
                threads = []
                for n, voter in enumerate(voters):
                    thread = threading.Thread(
                        target=lambda v=voter, n=n: vote(v, consultation, ids, stop_box, barrier, n),
                        daemon=True,
                    )
                    threads.append(thread)
                for thread in threads:
                    thread.start()
                load_before = load_average()
                barrier.wait()
                stop_box.append(time.monotonic() + args.duration)
                barrier.wait()
                began = time.perf_counter()
                for thread in threads:
                    thread.join()
                drained = time.perf_counter() - began
                load_after = load_average()
        finally:
            for master in masters:
                master.__exit__()
        if args.load == "wrk":
            rate = acknowledged / args.duration
            print(
                f"\n{acknowledged} ballots acknowledged (redirect to the receipt) in the {args.duration:g} s "
                f"window, {refused} refused; {len(voters)} voters, {args.connections} wrk connections "
                f"per app process"
            )
            print(f"load average: {load_before} before, {load_after} after")
            print(f"ballot POSTs/s: {rate:.1f}")
            print(f"POST latency p50 {p50:.1f} ms, p99 {p99:.1f} ms (the slower app process's)")
            if refused:
                print(outputs[0])
        else:
            acknowledged = sum(v.acknowledged for v in voters)
            in_window = sum(v.in_window for v in voters)
            refused = sum(v.refused for v in voters)
            posts = [ms for v in voters for ms in v.post_ms]
            gets = [ms for v in voters for ms in v.get_ms]
            rate = in_window / args.duration
            print(
                f"\n{in_window} ballots acknowledged in the {args.duration:g} s window "
                f"by {len(voters)} voters, "
                f"{acknowledged} in all ({drained:.1f} s until the last answer came back; "
                f"{sum(1 for v in voters if v.acknowledged)} voted at least once); {refused} refused"
            )
            print(f"load average: {load_before} before, {load_after} after")
            print(f"ballot POSTs/s: {rate:.1f}   (GET + POST cycles/s: the same; requests/s: {2 * rate:.1f})")
            print(
                f"POST latency p50 {percentile(posts, 0.5):.0f} ms, p99 {percentile(posts, 0.99):.0f} ms; "
                f"GET p50 {percentile(gets, 0.5):.0f} ms, p99 {percentile(gets, 0.99):.0f} ms"
            )
        for voter in voters:
            for problem in voter.problems[:3]:
                print(f"  {voter.email}: {problem}")
        problems = verify(database, consultation, voters)
        if problems:
            print(f"DATABASE CHECK FAILED: {len(problems)} discrepancies")
            for problem in problems[:20]:
                print("  " + problem)
        else:
            print(
                f"database check: exactly one ballot for each of the "
                f"{sum(1 for v in voters if v.acknowledged)} acknowledged voters, none lost or doubled, "
                "receipts and entries as acknowledged"
            )
        verdict = "PASS" if rate >= TARGET and not problems and not refused else "FAIL"
        print(
            f"{verdict}  {rate:.1f} ballots/s on PostgreSQL with {args.masters} master(s) x "
            f"{args.workers} worker(s) (target at least {TARGET}, none lost or doubled)"
        )
        if args.profile:
            print()
            print(profile(database, consultation, ids, args.profile))
    print(
        f"rerun: python bench/ballots.py --voters {args.voters} --duration {args.duration:g} "
        f"--masters {args.masters} --workers {args.workers} --load {args.load}"
    )


if __name__ == "__main__":
    main()
