"""What the HTTP benchmarks share: fresh databases, gunicorn processes, sign-in through the form, wrk.

Used by `bench/pages.py` and `bench/ballots.py`; nothing here is part of the test suite.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Database:
    engine: str  # "sqlite" or "postgres"
    url: str
    instance: Path  # INSTANCE_PATH for the app processes: key, demo password


@contextmanager
def fresh_database(engine: str, keep: bool = False, server: str = PG_SERVER):
    """A new, empty database: a SQLite file in a temporary folder, or a PostgreSQL database
    named `participate_bench_<hex>` on `server`; both removed afterwards unless `keep`."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    folder = Path(tempfile.mkdtemp(prefix="participate-bench-"))
    name = None
    admin = None
    if engine == "sqlite":
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
    else:
        base = make_url(server).set(drivername="postgresql+psycopg")
        name = f"participate_bench_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = base.set(database=name).render_as_string(hide_password=False)
    try:
        yield Database(engine, url, folder)
    finally:
        if keep:
            print(f"kept: {url} (instance folder {folder})")
        else:
            if admin is not None:
                with admin.connect() as conn:
                    conn.execute(
                        sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                        {"n": name},
                    )
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
            shutil.rmtree(folder, ignore_errors=True)
        if admin is not None:
            admin.dispose()


def app_env(database: Database, **extra: str) -> dict:
    """The environment of an app process (or a flask command) on this database."""
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "INSTANCE_PATH": str(database.instance),
        "SECRET_KEY": "bench-" + database.instance.name,
        "PYTHONPATH": str(ROOT),
    }
    env.update(extra)
    return env


def flask(database: Database, *args: str, **extra: str) -> str:
    """Run `python -m flask --app participate ARGS` on this database; return its output."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "participate", *args],
        cwd=ROOT,
        env=app_env(database, **extra),
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Gunicorn:
    """`python -m gunicorn -w N -b 127.0.0.1:PORT MODULE:app` in its own process group."""

    def __init__(self, module: str, env: dict, workers: int = 2, cwd: Path = ROOT):
        self.module, self.env, self.workers, self.cwd = module, env, workers, cwd
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def command(self) -> str:
        return f"python -m gunicorn -w {self.workers} -b 127.0.0.1:{self.port} {self.module}"

    def __enter__(self):
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
                self.module,
            ],
            cwd=self.cwd,
            env=self.env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.2)
        self.__exit__()
        raise SystemExit(f"{self.command} did not start")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    if not found:
        raise SystemExit("no CSRF token on the page")
    return found.group(1)


def sign_in(session, base: str, email: str, password: str) -> None:
    """Sign in through the form as a browser does: GET the page, POST with its CSRF token."""
    page = session.get(base + "/sign-in")
    page.raise_for_status()
    answer = session.post(
        base + "/sign-in",
        data={"csrf_token": csrf_token(page.text), "email": email, "password": password, "website": ""},
        allow_redirects=False,
    )
    if answer.status_code != 302:
        raise SystemExit(f"sign-in as {email} failed: HTTP {answer.status_code}")


@dataclass
class Load:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx responses and socket errors

    @classmethod
    def parse(cls, output: str) -> Load:
        def ms(text: str) -> float:
            number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
            return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
        p50 = ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
        p99 = ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
        total = int(re.search(r"(\d+) requests in", output).group(1))
        errors = 0
        if found := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
            errors += int(found.group(1))
        if found := re.search(
            r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
        ):
            errors += sum(int(n) for n in found.groups())
        return cls(rate, p50, p99, total, errors)


def wrk(url: str, threads: int, connections: int, duration: int, cookie: str | None = None) -> Load:
    """Run wrk against one URL and return its figures."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    return Load.parse(done.stdout)


def load_average() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
