"""Helpers shared by the tests: configuration, database cleaning, a CSRF-aware client, factories,
a real SMTP server on loopback, query counting and app processes on loopback ports."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
WARDS_CSV = ROOT / "participate" / "data" / "lambeth_wards.csv"
PASSWORD = "correct horse battery staple"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def pg_url(server: str):
    """A SQLAlchemy URL for a PostgreSQL server address, with the psycopg 3 driver."""
    url = make_url(server)
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    return url


@contextlib.contextmanager
def fresh_pg_database(server, prefix: str):
    """A new, empty database on this PostgreSQL server (its address yielded), dropped afterwards,
    with any connection still open to it."""
    server = pg_url(server) if isinstance(server, str) else server
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def pg_reachable(server: str = DEFAULT_PG) -> bool:
    """Whether a PostgreSQL server answers at this address."""
    try:
        engine = sa.create_engine(pg_url(server), connect_args={"connect_timeout": 2})
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def redis_reachable(url: str = "redis://127.0.0.1:6379/15") -> bool:
    """Whether a Redis server answers at this address."""
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def app_settings(database_url: str, instance: Path) -> dict:
    """Settings for a test app: fast password hashing, no rate limits unless a test turns them on."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        # Pages are cached only in the tests of the cache itself.
        "PAGE_CACHE": False,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "MAIL_SERVER": None,
        "TEST_INSTANCE": str(instance),
    }


def load_test_wards() -> None:
    """Load Lambeth's current wards (the demo's file), as every test starts with them."""
    from participate.extensions import db
    from participate.services.wards import import_wards

    import_wards(WARDS_CSV)
    db.session.commit()


def empty_database() -> None:
    """Remove every row from every table (the schema stays)."""
    from participate.extensions import db

    db.session.rollback()
    db.session.remove()
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    # DELETE, not TRUNCATE: on the small tables of a test it is several times faster on PostgreSQL.
    with db.engine.begin() as conn:
        for table in tables:
            conn.execute(table.delete())


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Client:
    """A test client that keeps cookies and sends the CSRF token a browser would send.

    Each request runs in an app context of its own, as in production: otherwise it would share
    the test's `g` and database session (Flask reuses an app context that is already pushed).
    """

    def __init__(self, app):
        self.app = app
        self.http = app.test_client()
        self.last_html = ""

    def request(self, method: str, url: str, **kwargs):
        with self.app.app_context():
            response = self.http.open(url, method=method, **kwargs)
            # Read streamed bodies (CSV exports) while their context is still there; remember
            # that the application streamed it.
            response.was_streamed = response.is_streamed
            response.get_data()
        if response.mimetype == "text/html" and not response.headers.get("Content-Encoding"):
            self.last_html = response.get_data(as_text=True)
        return response

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def csrf_token(self) -> str:
        """A valid token for this client's session."""
        match = CSRF_RE.search(self.last_html)
        if not match:
            self.get("/")
            match = CSRF_RE.search(self.last_html)
        return match.group(1)

    def post(self, url, data=None, csrf=True, **kwargs):
        """POST a form; with csrf=True the token is added, with a string that value is sent."""
        data = dict(data or {})
        if csrf is True:
            data.setdefault("csrf_token", self.csrf_token())
        elif isinstance(csrf, str):
            data["csrf_token"] = csrf
        return self.request("POST", url, data=data, **kwargs)

    def sign_in(self, user, password: str = PASSWORD):
        """Sign in through the real form (and the second factor, with a recovery code)."""
        self.get("/sign-in")
        response = self.post("/sign-in", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        if response.headers["Location"].endswith("/sign-in/two-factor"):
            self.get("/sign-in/two-factor")
            response = self.post("/sign-in/two-factor", {"code": user.recovery_codes.pop()})
            assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return response

    def sign_out(self):
        return self.post("/sign-out")


class UserFactory:
    """Create users with roles: `make_user(role="councillor", wards=["E05014098"])`."""

    def __init__(self, wards: dict):
        self.wards = wards
        self.count = 0

    def __call__(
        self,
        role: str = "resident",
        wards: list[str] | tuple = ("E05014098",),
        verified: bool = True,
        email: str | None = None,
        password: str | None = PASSWORD,
        name: str | None = None,
        locale: str = "en",
        two_factor: bool | None = None,
        **attrs,
    ):
        """Staff get two-factor sign-in (their roles need it) unless two_factor=False."""
        import pyotp

        from participate.extensions import db
        from participate.services import accounts
        from participate.services import two_factor as tf

        self.count += 1
        user = accounts.create_user(
            email=email or f"user{self.count}-{role}@example.org",
            display_name=name or f"{role.title()} {self.count}",
            password=password,
            role=role,
            wards=[self.wards[c] for c in wards],
            verified=verified,
            locale=locale,
        )
        for key, value in attrs.items():
            setattr(user, key, value)
        if two_factor or (two_factor is None and role != "resident"):
            secret = pyotp.random_base32()
            user.recovery_codes = tf.enable(user, secret, pyotp.TOTP(secret).now())
            user.totp_plain_secret = secret
        db.session.commit()
        return user


@dataclass
class Received:
    """One message received by the SMTP server."""

    sender: str
    recipients: list[str]
    message: object

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        return self.message.get_body(("plain",)).get_content()


@dataclass
class SMTPServer:
    """A real SMTP server (aiosmtpd) on a free loopback port.

    `delay` makes it take that many seconds over each message, as a slow mail relay does.
    """

    messages: list[Received] = field(default_factory=list)
    port: int = 0
    delay: float = 0.0

    def start(self):
        from aiosmtpd.controller import Controller

        server = self

        class Handler:
            async def handle_DATA(self, _server, session, envelope):
                if server.delay:
                    await asyncio.sleep(server.delay)
                server.messages.append(
                    Received(
                        envelope.mail_from,
                        list(envelope.rcpt_tos),
                        message_from_bytes(envelope.content, policy=policy.default),
                    )
                )
                return "250 Message accepted for delivery"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def config(self) -> dict:
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port}

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.recipients]


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def query_counter():
    """Count SQL statements sent by the app's engine inside the block."""
    from participate.extensions import db

    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


LINK_RE = re.compile(r"https?://\S+")


def links_in(text: str) -> list[str]:
    """The web addresses in a mail body."""
    return LINK_RE.findall(text)


class AppProcess:
    """The app served by gunicorn in its own process on a loopback port."""

    def __init__(self, env: dict, workers: int = 1):
        self.port = free_port()
        # As in app_settings: pages are cached only where a test asks for it.
        self.env = {**os.environ, "PAGE_CACHE": "0", **env}
        self.workers = workers
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0):
        import urllib.request

        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-w",
                str(self.workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the app process did not start")

    @property
    def master_pid(self) -> int:
        """The gunicorn master's process id."""
        assert self.proc is not None, "the app process is not started"
        return self.proc.pid

    def worker_pids(self) -> list[int]:
        """The process ids of the gunicorn workers serving now (the master's children)."""
        children: list[int] = []
        for path in Path(f"/proc/{self.master_pid}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                children.extend(int(pid) for pid in path.read_text().split())
        return sorted(children)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
