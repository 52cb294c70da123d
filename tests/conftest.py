"""Test fixtures: a fresh database per run (SQLite, or PostgreSQL with TEST_DATABASE_URL), migrated
once, emptied after every test; the app, a client that speaks CSRF, factories and a real SMTP server."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests import support
from tests.deliberation_support import people  # noqa: F401  (a fixture: one user of every role)

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    # A run never touches the developer's instance/: its own key, its own database.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))
    import tempfile

    os.environ.setdefault("INSTANCE_PATH", tempfile.mkdtemp(prefix="participate-instance-"))
    os.environ.pop("REDIS_URL", None)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A fresh, empty database for this run, dropped afterwards."""
    server = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not server:
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        yield f"sqlite:///{path}"
        return
    with support.fresh_pg_database(server, "participate_test") as url:
        yield url


@pytest.fixture(scope="session")
def app_config(database_url, tmp_path_factory):
    """The settings every test app starts from."""
    return support.app_settings(database_url, tmp_path_factory.mktemp("instance"))


@pytest.fixture(scope="session")
def _migrated(app_config):
    """Bring the test database to the latest migration once per run."""
    from flask_migrate import upgrade

    from participate import MIGRATIONS_DIR, create_app

    app = create_app(app_config)
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
    return True


@pytest.fixture
def make_app(app_config, _migrated):
    """Build an app with extra settings (each call is a new app on the same database)."""
    from participate import create_app
    from participate.extensions import db

    made = []

    def factory(**overrides):
        made.append(create_app({**app_config, **overrides}))
        return made[-1]

    yield factory
    # Close each app's connections now: a shared PostgreSQL server has a limited number of them.
    for application in made:
        with application.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """The app, inside an app context, on an empty database with the wards loaded."""
    application = make_app()
    with application.app_context():
        support.load_test_wards()
        yield application
        support.empty_database()
        # Each test's app has its own engine: close its connections so a long run (or several
        # runs sharing one PostgreSQL server) never exhausts the server's connection slots.
        from participate.extensions import db

        db.engine.dispose()


@pytest.fixture
def client(app):
    """A test client that fetches and sends CSRF tokens like a browser."""
    return support.Client(app)


@pytest.fixture
def wards(app):
    """The loaded wards, by ONS code."""
    from participate.extensions import db
    from participate.models import Ward

    return {w.code: w for w in db.session.scalars(sa.select(Ward))}


@pytest.fixture
def make_user(app, wards):
    """Create users: make_user(role="councillor", ward_codes=[...], verified=True)."""
    return support.UserFactory(wards)


@pytest.fixture
def runner(app):
    """Run `flask` commands against the test app."""
    return app.test_cli_runner()


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""
    server = support.SMTPServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside a `with count_queries() as q:` block."""
    return support.query_counter


@pytest.fixture(scope="session")
def live_database():
    """A database of its own for the served demo (the unit tests empty theirs after each test)."""
    server = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not server:
        path = Path(tempfile.mkdtemp(prefix="participate-browser-")) / "demo.sqlite3"
        yield f"sqlite:///{path}"
        return
    with support.fresh_pg_database(server, "participate_browser") as url:
        yield url


@pytest.fixture(scope="session")
def demo(live_database):
    """Load the demo into the live database; return its accounts (email, password, two-factor key)."""
    env = {
        **os.environ,
        "DATABASE_URL": live_database,
        "INSTANCE_PATH": tempfile.mkdtemp(prefix="participate-browser-instance-"),
        "MAIL_SERVER": "",
    }
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "participate", "demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    password = re.search(r"password for all: (\S+)\)", result.stdout).group(1)
    accounts = {}
    for role, email, key in re.findall(
        r"^\s+(\w+)\s+(\S+@\S+)(?:\s+two-factor key: (\w+))?", result.stdout, re.M
    ):
        accounts[role] = {"email": email, "password": password, "key": key or None}
    return {"env": env, "accounts": accounts}


# Browser tests: one Chromium (Debian's package) for the whole run, shared by every test.
CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    found = os.environ.get("CHROMIUM") or next((p for p in CHROMIUM_CANDIDATES if Path(p).exists()), None)
    return found or shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium():
    path = chromium_path()
    if not path:
        pytest.skip("no Chromium installed (apt-get install chromium): browser tests skipped")
    return path


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
