"""Configuration comes from the environment, with an embedded default."""

from __future__ import annotations

from pathlib import Path

from participate import create_app
from participate.config import from_environment


def test_with_nothing_set_sqlite_and_a_secret_key_live_in_instance(tmp_path, monkeypatch):
    for name in ("DATABASE_URL", "SECRET_KEY", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    first = from_environment(str(tmp_path))
    assert first["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'participate.sqlite3'}"
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 40 and first["SECRET_KEY"] == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    # Generated once: the next start reads the same key.
    assert from_environment(str(tmp_path))["SECRET_KEY"] == key
    assert first["RATELIMIT_STORAGE_URI"] == "memory://"


def test_environment_variables_are_used(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example/participate")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("REDIS_URL", "redis://cache.example:6379/0")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example")
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("MAIL_USE_TLS", "yes")
    cfg = from_environment(str(tmp_path))
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.example/participate"
    assert cfg["SECRET_KEY"] == "from-the-environment"
    assert cfg["RATELIMIT_STORAGE_URI"] == "redis://cache.example:6379/0"
    assert (cfg["MAIL_SERVER"], cfg["MAIL_PORT"], cfg["MAIL_USE_TLS"]) == ("smtp.example", 587, True)
    assert not (tmp_path / "secret_key").exists()


def test_no_secret_key_is_written_in_the_code():
    import participate.config as config

    source = Path(config.__file__).read_text()
    assert "SECRET_KEY = " not in source


def test_wsgi_module_serves_the_app(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    import importlib

    import wsgi

    importlib.reload(wsgi)
    assert wsgi.app.name == "participate"
    assert create_app is not None
