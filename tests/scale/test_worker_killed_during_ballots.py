"""An app worker killed (SIGKILL) in the middle of ballot submissions loses no acknowledged ballot.

The app runs under gunicorn with two workers on a PostgreSQL database of its own. Voters are
threads, each with its own HTTP session: they sign in through the form, fetch the ballot, send it,
and some change it. Meanwhile a worker is killed several times; its master starts another. A
submission whose response was lost may or may not have been stored; one that was acknowledged
(the app redirected to its receipt) must be, whole.
"""

from __future__ import annotations

import os
import random
import re
import signal
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import requests
import sqlalchemy as sa

from tests import support
from tests.scale.conftest import dispose, migrated_app

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

VOTERS = 160
CHANGERS = 60  # the first this many voters change their ballot once
OPTIONS = 5
KILLS = 6
KILL_EVERY = 0.7  # seconds between kills
TIMEOUT = 60  # per request: longer than gunicorn's worker timeout, so no request outlives its answer
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
RECEIPT_URL = re.compile(r"/consultations/(\d+)/receipt/([^/?#]+)$")
# What a client sees when the worker answering it dies: no answer, or half of one.
NO_ANSWER = (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)
RECEIPT_SHOWN = re.compile(r'<p class="receipt-code">.*?<code lang="en">([^<]+)</code>', re.S)


@dataclass
class Submission:
    """One ballot POST and what the voter was told."""

    ballot: dict[int, int]
    outcome: str = "lost"  # "recorded" (redirected to the receipt), "lost" (no answer) or "status <n>"
    receipt: str | None = None
    shown: str | None = None  # the code the receipt page showed


@dataclass
class Voter:
    user_id: int
    email: str
    plan: list[dict[int, int]]
    retries: bool  # sends a submission that got no answer again (a quarter of the voters do)
    submissions: list[Submission] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def production_hash(password: str) -> str:
    """A password hash with the app's own argon2 settings, so signing in stores nothing new."""
    from argon2 import PasswordHasher

    from participate.config import Defaults

    return PasswordHasher(
        time_cost=Defaults.ARGON2_TIME_COST,
        memory_cost=Defaults.ARGON2_MEMORY_COST,
        parallelism=Defaults.ARGON2_PARALLELISM,
    ).hash(password)


def random_ballot(rng: random.Random, option_ids: list[int]) -> dict[int, int]:
    """A valid quadratic ballot (100 credits, at most 4 votes an option: 80 credits), never empty."""
    while True:
        ballot = {o: rng.randint(0, 4) for o in option_ids}
        ballot = {o: v for o, v in ballot.items() if v}
        if ballot:
            return ballot


def setup(app) -> tuple[int, list[int], list[Voter]]:
    """A quadratic consultation in its voting phase in Brixton, and its eligible residents."""
    from participate.extensions import db
    from participate.models import Consultation, Option, Phase, ProviderType, VotingMethod, Ward, utcnow
    from participate.services import accounts

    rng = random.Random(20240605)
    now = utcnow()
    with app.app_context():
        ward = db.session.scalar(sa.select(Ward).where(Ward.code == "E05014098"))
        consultation = Consultation(
            title="Somewhere safe for young people in the evenings",
            outcome_statement="Young people have somewhere safe to go in the evenings.",
            method=VotingMethod.QUADRATIC,
            credits=100,
            phase=Phase.VOTING,
            options_open_at=now - timedelta(days=20),
            voting_open_at=now - timedelta(days=1),
            voting_close_at=now + timedelta(days=6),
            wards=[ward],
        )
        options = [
            Option(
                consultation=consultation,
                title=f"Option {i + 1}",
                description="",
                provider_type=ProviderType.COMMUNITY_LED,
            )
            for i in range(OPTIONS)
        ]
        db.session.add_all([consultation, *options])
        db.session.flush()
        option_ids = [o.id for o in options]
        password_hash = production_hash(support.PASSWORD)
        voters = []
        for i in range(VOTERS):
            user = accounts.create_user(
                email=f"voter{i}@example.org", display_name=f"Voter {i}", wards=[ward], verified=True
            )
            user.password_hash = password_hash
            user.created_at = now - timedelta(days=30)
            plan = [random_ballot(rng, option_ids)]
            if i < CHANGERS:
                while (second := random_ballot(rng, option_ids)) == plan[0]:
                    pass
                plan.append(second)
            voters.append(Voter(user.id, user.email, plan, retries=i % 4 == 0))
        db.session.commit()
        return consultation.id, option_ids, voters


class Browser:
    """One voter's HTTP session against the served app."""

    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()

    def page(self, path: str, attempts: int = 20) -> requests.Response:
        """GET a page, trying again when the worker serving it was killed."""
        for attempt in range(attempts):
            try:
                response = self.http.get(self.base + path, timeout=TIMEOUT, allow_redirects=False)
            except NO_ANSWER:
                time.sleep(0.2 * (attempt + 1))
                continue
            response.raise_for_status()
            return response
        raise RuntimeError(f"GET {path} kept failing")

    def token(self, path: str) -> str:
        match = CSRF.search(self.page(path).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def sign_in(self, email: str) -> None:
        for _attempt in range(10):
            data = {"csrf_token": self.token("/sign-in"), "email": email, "password": support.PASSWORD}
            try:
                response = self.http.post(
                    self.base + "/sign-in", data=data, timeout=TIMEOUT, allow_redirects=False
                )
            except NO_ANSWER:
                continue
            assert response.status_code == 302, response.text[:500]
            return
        raise RuntimeError(f"could not sign {email} in")


def vote(base: str, consultation_id: int, voter: Voter, ready: threading.Barrier) -> None:
    browser = Browser(base)
    try:
        browser.sign_in(voter.email)
        ready.wait(TIMEOUT * 2)  # everyone signed in: the ballots (and the kills) start together
        ballot_path = f"/consultations/{consultation_id}/ballot"
        for ballot in voter.plan:
            # A voter whose submission got no answer may send it again, up to three times; the
            # others leave it, so whatever a lost submission left behind stays to be checked.
            for _attempt in range(3 if voter.retries else 1):
                data = {"csrf_token": browser.token(ballot_path), "consultation": str(consultation_id)}
                data.update({f"votes-{o}": str(v) for o, v in ballot.items()})
                submission = Submission(dict(ballot))
                voter.submissions.append(submission)
                try:
                    response = browser.http.post(
                        base + ballot_path, data=data, timeout=TIMEOUT, allow_redirects=False
                    )
                except NO_ANSWER:
                    continue  # no answer: it may or may not have been stored
                found = RECEIPT_URL.search(response.headers.get("Location", ""))
                if response.status_code != 302 or not found:
                    submission.outcome = f"status {response.status_code}"
                    break
                submission.outcome = "recorded"
                submission.receipt = found.group(2)
                shown = RECEIPT_SHOWN.search(browser.page(response.headers["Location"]).text)
                submission.shown = shown.group(1) if shown else None
                break
    except Exception as exc:  # noqa: BLE001 - reported by the test
        voter.errors.append(repr(exc))


def cpu_time(pid: int) -> int:
    """Clock ticks a process has run: a worker that has served requests has run longest."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return -1
    return int(fields[11]) + int(fields[12])


def sockets_of(pids: list[int]) -> dict[int, int]:
    """The local TCP ports of these processes' sockets, and the process holding each."""
    inodes: dict[str, int] = {}
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes[target[8:-1]] = pid
    ports: dict[int, int] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            for line in list(lines)[1:]:
                parts = line.split()
                if parts[9] in inodes:
                    ports[int(parts[1].rsplit(":", 1)[1], 16)] = inodes[parts[9]]
    return ports


# A database session in the middle of casting a ballot: it has locked the consultation or the
# ballot, or is writing the ballot, and has not committed.
CASTING = sa.text(
    """
    SELECT client_port, query ILIKE '%ballot_entries%' AS writing FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()
      AND state IN ('active', 'idle in transaction')
      AND (query ILIKE '%FOR SHARE%' OR query ILIKE '%FOR UPDATE%' OR query ILIKE '%SAVEPOINT%'
           OR query ILIKE 'INSERT INTO ballot%' OR query ILIKE 'DELETE FROM ballot_entries%'
           OR query ILIKE 'INSERT INTO participations%' OR query ILIKE 'UPDATE ballots%')
    ORDER BY writing DESC
    """
)


def kill_workers(app_process, database_url: str, done: threading.Event, killed: list[tuple[int, str]]):
    """SIGKILL a worker every KILL_EVERY seconds while the voters are at it.

    Two kills in three are aimed: at the worker whose database session is in the middle of casting
    a ballot, found through pg_stat_activity and the worker's socket, preferably while it writes
    the ballot's entries (the last step before the commit). The others hit whichever worker has
    been busiest, at whatever it is doing (reading a page, committing, answering).
    """
    engine = sa.create_engine(support.pg_url(database_url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            aiming_since = None
            owners: dict[int, int] = {}  # a worker's database connections stay open: their ports
            while len(killed) < KILLS and not done.is_set():
                workers = app_process.worker_pids()
                victim, how = None, "untimed"
                if len(killed) % 3 != 2:
                    how = "mid-transaction"
                    aiming_since = aiming_since or time.monotonic()
                    patient = time.monotonic() - aiming_since < 0.5  # for a session writing entries
                    for port, writing in conn.execute(CASTING):
                        if port not in owners:  # a worker's new database connection
                            owners = sockets_of(workers)
                        if (writing or not patient) and (victim := owners.get(port)):
                            how = "writing the entries" if writing else how
                            break
                    if victim is None:
                        time.sleep(0.002)
                        continue
                    aiming_since = None
                elif workers:
                    victim = max(workers, key=cpu_time)
                if victim is None:
                    time.sleep(0.05)
                    continue
                try:
                    os.kill(victim, signal.SIGKILL)
                except ProcessLookupError:
                    continue
                killed.append((victim, how))
                done.wait(KILL_EVERY)
    finally:
        engine.dispose()


def test_killing_a_worker_during_ballot_submissions_loses_no_acknowledged_ballot(pg_database, tmp_path):
    from participate.extensions import db
    from participate.models import Ballot, BallotEntry, Consultation, Participation
    from participate.services.results import compute

    app = migrated_app(pg_database, tmp_path / "instance")
    try:
        consultation_id, option_ids, voters = setup(app)
        served = support.AppProcess(
            {
                "DATABASE_URL": pg_database,
                "INSTANCE_PATH": str(tmp_path / "instance"),
                "RATELIMIT_ENABLED": "false",
                "MAIL_SERVER": "",
            },
            workers=2,
        )
        served.start(timeout=60)
        try:
            ready, done = threading.Barrier(VOTERS + 1), threading.Event()
            killed: list[tuple[int, str]] = []
            threads = [
                threading.Thread(target=vote, args=(served.url, consultation_id, v, ready)) for v in voters
            ]
            for thread in threads:
                thread.start()
            killer = threading.Thread(target=kill_workers, args=(served, pg_database, done, killed))
            ready.wait(TIMEOUT * 2)
            began = time.monotonic()
            killer.start()
            for thread in threads:
                thread.join(TIMEOUT * 3)
            elapsed = time.monotonic() - began
            done.set()
            killer.join()
            assert served.proc.poll() is None, "the gunicorn master died"
        finally:
            served.stop()

        assert not [v.errors for v in voters if v.errors]
        outcomes = Counter(s.outcome for v in voters for s in v.submissions)
        print(
            f"\n{VOTERS} voters, {sum(outcomes.values())} ballot submissions in {elapsed:.1f} s; "
            f"workers killed: {Counter(how for _pid, how in killed)}; outcomes: {dict(outcomes)}"
        )
        assert len(killed) >= KILLS // 2
        assert outcomes["lost"] >= 1  # the kills did cut submissions off
        assert set(outcomes) <= {"recorded", "lost"}, outcomes  # never a refusal or an error page
        # Every voter who tried again was told in the end.
        assert all(any(s.outcome == "recorded" for s in v.submissions) for v in voters if v.retries)

        with app.app_context():
            stored = sa.select(Ballot).where(Ballot.consultation_id == consultation_id)
            ballots = {b.voter_id: b for b in db.session.scalars(stored)}
            entries: dict[int, dict[int, int]] = defaultdict(dict)
            for ballot_id, option_id, votes in db.session.execute(
                sa.select(BallotEntry.ballot_id, BallotEntry.option_id, BallotEntry.votes)
            ):
                entries[ballot_id][option_id] = votes
            n_ballots = db.session.scalar(
                sa.select(sa.func.count(Ballot.id)).where(Ballot.consultation_id == consultation_id)
            )
            orphans = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(BallotEntry)
                .outerjoin(Ballot, Ballot.id == BallotEntry.ballot_id)
                .where(Ballot.id.is_(None))
            )
            participants = Counter(
                db.session.scalars(
                    sa.select(Participation.user_id).where(Participation.consultation_id == consultation_id)
                )
            )
            result = compute(db.session.get(Consultation, consultation_id))

        assert n_ballots == len(ballots)  # one ballot per voter
        assert orphans == 0  # no entry without a ballot
        empty = [b.receipt for b in ballots.values() if not entries[b.id]]
        assert not empty, f"ballots stored without entries: {empty}"
        assert set(entries) <= {b.id for b in ballots.values()}
        assert participants == Counter(list(ballots))  # one participation per ballot, no other

        for voter in voters:
            stored = ballots.get(voter.user_id)
            acknowledged = [i for i, s in enumerate(voter.submissions) if s.outcome == "recorded"]
            if not acknowledged:
                if stored is not None:
                    assert entries[stored.id] in [s.ballot for s in voter.submissions]
                continue
            last = acknowledged[-1]
            assert stored is not None, f"voter {voter.email} was told their ballot was recorded"
            # The last acknowledged submission, or a later one whose answer was lost; whole.
            allowed = [s.ballot for s in voter.submissions[last:]]
            assert entries[stored.id] in allowed, (voter.email, entries[stored.id], voter.submissions)
            for i in acknowledged:
                shown = voter.submissions[i]
                assert shown.receipt == stored.receipt
                assert shown.shown == stored.receipt

        # The published count equals a recount from the raw entries.
        assert result["ballots"] == len(ballots)
        recount: dict[int, list[int]] = {o: [0, 0] for o in option_ids}
        for ballot in ballots.values():
            for option_id, votes in entries[ballot.id].items():
                recount[option_id][0] += votes
                recount[option_id][1] += 1
        assert {o["id"]: [o["votes"], o["voters_for"]] for o in result["options"]} == recount
    finally:
        dispose(app)
