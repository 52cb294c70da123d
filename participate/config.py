"""Settings, read from the environment only; with nothing set, everything lives in `instance/`."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

LANGUAGES = {
    # code: (name in its own language, text direction)
    "en": ("English", "ltr"),
    "pt": ("Português", "ltr"),
    "es": ("Español", "ltr"),
    "pl": ("Polski", "ltr"),
    "fr": ("Français", "ltr"),
    "so": ("Soomaali", "ltr"),
    "ar": ("العربية", "rtl"),
}


def _bool(value: str | None, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _slug(text: str) -> str:
    """Lower-case letters, digits and hyphens: an identifier made from a name."""
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split()) or "council"


def _secret_key(instance_path: Path) -> str:
    """Return SECRET_KEY, or a key generated once and kept in the instance folder."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Written with owner-only permissions, and never overwritten once made.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def _database_url(instance_path: Path) -> str:
    """Return DATABASE_URL with the driver SQLAlchemy needs, or the SQLite file in `instance/`."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        instance_path.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance_path / 'participate.sqlite3'}"
    # Hosting platforms hand out postgres:// addresses; psycopg 3 is the driver we ship.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


# Limits a council may tune without a code change, e.g. SIGN_IN_LIMIT="5 per minute".
TUNABLE = ("SIGN_IN_LIMIT", "RESET_LIMIT", "REGISTER_LIMIT", "POST_LIMIT")


def from_environment(instance_path: str) -> dict:
    """Build the configuration mapping from environment variables."""
    inst = Path(instance_path)
    tuned = {name: os.environ[name] for name in TUNABLE if os.environ.get(name)}
    https = os.environ.get("PREFERRED_URL_SCHEME", "http") == "https"
    redis_url = os.environ.get("REDIS_URL") or None
    return {
        "SECRET_KEY": _secret_key(inst),
        "SQLALCHEMY_DATABASE_URI": _database_url(inst),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _bool(os.environ.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "participate"),
        # Public pages kept for visitors who are not signed in (in Redis when REDIS_URL is set).
        "PAGE_CACHE": _bool(os.environ.get("PAGE_CACHE"), True),
        "PAGE_CACHE_TTL": int(os.environ.get("PAGE_CACHE_TTL", "300") or 300),
        "PAGE_CACHE_MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_MAX_ENTRIES", "2000") or 2000),
        "PAGE_CACHE_PREFIX": os.environ.get("PAGE_CACHE_PREFIX")
        or os.environ.get("RATELIMIT_KEY_PREFIX", "participate"),
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "SERVER_NAME": os.environ.get("SERVER_NAME") or None,
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_SECURE": https,
        # Over HTTPS the cookies take the __Host- prefix: browsers then keep them only if they are
        # Secure, for the whole site and this host alone (no subdomain can set or read them).
        "SESSION_COOKIE_NAME": "__Host-session" if https else "session",
        "REMEMBER_COOKIE_NAME": "__Host-remember_token" if https else "remember_token",
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0") or 0),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25") or 25),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool(os.environ.get("MAIL_USE_TLS")),
        "MAIL_USE_SSL": _bool(os.environ.get("MAIL_USE_SSL")),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "participate <no-reply@participate.localhost>"
        ),
        "COUNCIL_NAME": os.environ.get("COUNCIL_NAME", "Lambeth"),
        # Where residents report a problem or ask about their data.
        "CONTACT_EMAIL": os.environ.get("CONTACT_EMAIL", "participate@council.example"),
        # Open Contracting IDs: a council that publishes for real registers its own prefix with the
        # Open Contracting Partnership (the default is not registered) and names itself.
        "OCDS_PREFIX": os.environ.get("OCDS_PREFIX", "ocds-participate-"),
        "OCDS_COUNCIL_ID": os.environ.get("OCDS_COUNCIL_ID")
        or _slug(os.environ.get("COUNCIL_NAME", "Lambeth")),
        # The council's organisation identifier for OCDS parties, e.g. GB-LAE-LBH.
        "OCDS_BUYER_ID": os.environ.get("OCDS_BUYER_ID", ""),
        "OIDC_ISSUER": os.environ.get("OIDC_ISSUER") or None,
        "OIDC_CLIENT_ID": os.environ.get("OIDC_CLIENT_ID") or None,
        "OIDC_CLIENT_SECRET": os.environ.get("OIDC_CLIENT_SECRET") or None,
        **tuned,
    }


class Defaults:
    """Settings that do not depend on the environment."""

    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    # No form needs more: a larger request is refused (413) before anything reads it.
    MAX_CONTENT_LENGTH = 1024 * 1024
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 4
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    LANGUAGES = LANGUAGES
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    SIGN_IN_LIMIT = "10 per minute;50 per hour"
    RESET_LIMIT = "5 per minute;20 per hour"
    REGISTER_LIMIT = "10 per hour"
    # Proposals, options, comments and flags by one user, across every app process (with Redis).
    POST_LIMIT = "8 per minute;200 per day"
    VERIFY_LINK_MAX_AGE = 60 * 60 * 48
    RESET_LINK_MAX_AGE = 60 * 60
    PASSWORD_MIN_LENGTH = 12
    # argon2id, OWASP's recommended minimum (19 MiB, 2 passes); tests lower it for speed.
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 19 * 1024
    ARGON2_PARALLELISM = 1
    MAIL_MAX_ATTEMPTS = 8
    PER_PAGE = 20
