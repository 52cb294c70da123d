"""A cache of whole pages for visitors who are not signed in, invalidated by a generation number.

Only `GET`/`HEAD` by a visitor with no user in the session (no remember cookie, no flashed
message, nothing in the session but the language and the CSRF secret) is looked up or stored.
A page is stored only when it is a plain 200 that set no cookie, is not `private`/`no-store`,
was not streamed and left the session as it found it.

Every page carries the language switcher, a form with the visitor's CSRF token. That one token
is cut out of the stored copy and each visitor's own token is put back when it is served, so a
cached page never carries one visitor's token to another. A page that makes a token for any
other form (the sign-in page, a comment form) is not stored at all.

Invalidation: the key holds a *generation* number. Every commit that changed a row other than
private bookkeeping (mail outbox, audit log, notifications, sign-in bookkeeping) bumps it after
the commit. A request reads the generation before it renders, so a page rendered from data older
than a commit is stored under a generation nobody reads any more.

Stores: with `REDIS_URL`, the generation (INCR) and the pages (SETEX, `PAGE_CACHE_TTL` seconds)
live in Redis and are shared by every app process on every host. Without Redis, pages live in a
bounded in-process LRU and the generation in a file in the instance folder, so the workers of
one host still invalidate each other.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path

from flask import Flask, Response, current_app, g, has_app_context, request, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from sqlalchemy.orm import Session

from participate import i18n

log = logging.getLogger(__name__)

# What an anonymous visitor's session may hold and still be served the shared page. Flask-Login
# may mark a session not fresh; the CSRF secret is per visitor but cut out of the page.
ANONYMOUS_SESSION_KEYS = frozenset({"lang", "csrf_token", "_fresh", "_permanent"})
# Tables whose rows no public page shows: a commit touching only these changes no cached page.
PRIVATE_TABLES = frozenset(
    {"outbox_messages", "audit_entries", "notifications", "notification_settings", "recovery_codes"}
)
# Columns of users that only sign-in bookkeeping changes; no page shows them.
PRIVATE_USER_COLUMNS = frozenset(
    {"last_sign_in_at", "totp_last_step", "password_hash", "session_version", "totp_secret"}
)
# Stands in the stored page where the visitor's own CSRF token goes.
TOKEN_HOLE = "\x00participate-csrf-token\x00"
# Response headers that are never stored: they belong to one response.
UNSTORED_HEADERS = frozenset({"set-cookie", "content-length", "x-cache", "vary"})
GENERATION_FILE = "page-cache-generation"


def _cache_errors() -> tuple[type[BaseException], ...]:
    try:
        from redis.exceptions import RedisError

        return (OSError, RedisError)
    except ImportError:
        return (OSError,)


CACHE_ERRORS = _cache_errors()


# --- stores ------------------------------------------------------------------------------


class FileGeneration:
    """The generation as a number in a small file: read per request, bumped under a file lock."""

    def __init__(self, folder: str | Path):
        self.path = Path(folder) / GENERATION_FILE
        self.lock_path = Path(folder) / (GENERATION_FILE + ".lock")

    def read(self) -> int:
        try:
            return int(self.path.read_bytes() or 0)
        except (FileNotFoundError, ValueError):
            return 0

    def bump(self) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                value = self.read() + 1
                # Written aside and renamed: a reader sees the old number or the new, never half.
                tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(str(value))
                os.replace(tmp, self.path)
                return value
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


class MemoryPages:
    """Pages in a bounded least-recently-used dict, in this process only."""

    def __init__(self, max_entries: int, ttl: int):
        self.max_entries = max_entries
        self.ttl = ttl
        self.entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self.generation: int | None = None
        self.lock = threading.Lock()

    def get(self, key: str, generation: int) -> bytes | None:
        with self.lock:
            if generation != self.generation:
                # Everything stored under an older generation is dead: free it at once.
                self.entries.clear()
                self.generation = generation
                return None
            found = self.entries.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return found[1]

    def put(self, key: str, generation: int, value: bytes) -> None:
        with self.lock:
            if generation != self.generation:
                return
            self.entries[key] = (time.monotonic() + self.ttl, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)


class RedisStore:
    """The generation and the pages in Redis, shared by every app process."""

    def __init__(self, url: str, prefix: str, ttl: int):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.generation_key = f"{prefix}:page-cache:generation"
        self.page_prefix = f"{prefix}:page-cache:page:"
        self.ttl = ttl

    def read(self) -> int:
        return int(self.client.get(self.generation_key) or 0)

    def bump(self) -> int:
        return int(self.client.incr(self.generation_key))

    def get(self, key: str, generation: int) -> bytes | None:
        return self.client.get(f"{self.page_prefix}{generation}:{key}")

    def put(self, key: str, generation: int, value: bytes) -> None:
        self.client.setex(f"{self.page_prefix}{generation}:{key}", self.ttl, value)


class PageCache:
    """The generation and the pages of one app, in Redis or in this host's file and memory."""

    def __init__(self, app: Flask):
        ttl = int(app.config["PAGE_CACHE_TTL"])
        if app.config.get("REDIS_URL"):
            store = RedisStore(app.config["REDIS_URL"], app.config["PAGE_CACHE_PREFIX"], ttl)
            self.generation, self.pages = store, store
        else:
            self.generation = FileGeneration(app.instance_path)
            self.pages = MemoryPages(int(app.config["PAGE_CACHE_MAX_ENTRIES"]), ttl)


# --- what a stored page looks like ---------------------------------------------------------


def pack(status: int, headers: list[tuple[str, str]], body: bytes) -> bytes:
    """One stored page: a line of JSON (status, headers), then the body."""
    return json.dumps({"status": status, "headers": headers}).encode() + b"\n" + body


def unpack(value: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    head, _, body = value.partition(b"\n")
    meta = json.loads(head)
    return meta["status"], [tuple(h) for h in meta["headers"]], body


def page_key(url: str, language: str) -> str:
    """The key of a page: its full address (scheme, host, path, query) and its language."""
    return hashlib.sha256(f"{language}\n{url}".encode()).hexdigest()


# --- the request side --------------------------------------------------------------------


def _cache() -> PageCache | None:
    return current_app.extensions.get("page_cache")


def _eligible() -> bool:
    """Whether this request may be answered from, and stored in, the shared cache."""
    if request.method not in ("GET", "HEAD") or request.endpoint in (None, "static"):
        return False
    if (
        request.authorization
        or current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    ):
        return False
    return set(session.keys()) <= ANONYMOUS_SESSION_KEYS


def switcher_csrf_token() -> str:
    """The CSRF token of the language switcher at the foot of every page.

    Called after the page's content is rendered: when a token already exists, another form on
    the page made it, and the page is never stored (only the switcher's token is cut out).
    """
    if "csrf_token" in g:
        g.page_cache_other_form = True
    else:
        g.page_cache_switcher = True
    return generate_csrf()


def _lookup():
    try:
        return _serve()
    except CACHE_ERRORS:
        log.warning("page cache unavailable: serving without it", exc_info=True)
        g.pop("page_cache", None)
        g.pop("page_cache_generation", None)
        return None


def _serve():
    cache = _cache()
    if cache is None or request.method not in ("GET", "HEAD") or request.endpoint in (None, "static"):
        return None
    # The generation is read before anything is loaded or rendered (see the module's docstring);
    # the fragments of a signed-in visitor's page are kept under it too (`participate.fragments`).
    generation = g.page_cache_generation = cache.generation.read()
    if not _eligible():
        return None
    key = page_key(request.url, i18n.anonymous_language())
    g.page_cache = (key, generation)
    stored = cache.pages.get(key, generation)
    if stored is None:
        return None
    status, headers, body = unpack(stored)
    if TOKEN_HOLE.encode() in body:
        body = body.replace(TOKEN_HOLE.encode(), generate_csrf().encode())
    response = Response(body, status=status, headers=headers)
    response.headers["X-Cache"] = "hit"
    g.page_cache_hit = True
    if response.headers.get("ETag"):
        response.make_conditional(request)
    return response


def _storable(response) -> bool:
    if response.status_code != 200 or response.is_streamed or response.direct_passthrough:
        return False
    if "Set-Cookie" in response.headers or response.headers.get("Content-Encoding"):
        return False
    control = response.headers.get("Cache-Control", "").lower()
    if "no-store" in control or "private" in control:
        return False
    if g.get("page_cache_other_form") or ("csrf_token" in g and not g.get("page_cache_switcher")):
        return False
    # Nothing but the language and the CSRF secret may be in the session afterwards: a page
    # that flashed a message, signed someone in or remembered anything is this visitor's own.
    if not set(session.keys()) <= ANONYMOUS_SESSION_KEYS:
        return False
    from flask_login import current_user

    return not current_user.is_authenticated


def _store(response):
    found = g.get("page_cache")
    if found is None or g.get("page_cache_hit"):
        return response
    response.headers["X-Cache"] = "miss"
    if not _storable(response):
        return response
    key, generation = found
    if i18n.current_language() != i18n.anonymous_language():
        return response
    body = response.get_data()
    token = g.get("csrf_token")
    if token:
        body = body.replace(token.encode(), TOKEN_HOLE.encode())
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in UNSTORED_HEADERS]
    try:
        _cache().pages.put(key, generation, pack(response.status_code, headers, body))
    except CACHE_ERRORS:
        log.warning("page cache unavailable: page not stored", exc_info=True)
    return response


# --- the database side ---------------------------------------------------------------------


def _changes_public_rows(session_: Session) -> bool:
    from sqlalchemy import inspect

    for obj in (*session_.new, *session_.deleted):
        if obj.__table__.name not in PRIVATE_TABLES:
            return True
    for obj in session_.dirty:
        table = obj.__table__.name
        if table in PRIVATE_TABLES:
            continue
        state = inspect(obj)
        changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
        if table == "users" and changed and changed <= PRIVATE_USER_COLUMNS:
            continue
        if changed:
            # Relationships are attributes too: a ward added to a group counts.
            return True
    return False


def _after_flush(session_, flush_context):
    if not session_.info.get("page_cache_dirty") and _changes_public_rows(session_):
        session_.info["page_cache_dirty"] = True


def _orm_execute(state):
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is None or getattr(table, "name", None) not in PRIVATE_TABLES:
            state.session.info["page_cache_dirty"] = True


def _after_commit(session_):
    if not session_.info.pop("page_cache_dirty", False):
        return
    if has_app_context() and (cache := current_app.extensions.get("page_cache")) is not None:
        try:
            cache.generation.bump()
        except CACHE_ERRORS:
            # Pages already stored may then be served for up to PAGE_CACHE_TTL seconds.
            log.error("page cache generation not bumped after a commit", exc_info=True)


_listening = False


def _listen() -> None:
    """Watch every session's flushes and commits (once per process, whichever app is current)."""
    global _listening
    if _listening:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _orm_execute)
    event.listen(Session, "after_commit", _after_commit)
    _listening = True


def init_app(app: Flask) -> None:
    """Serve and store anonymous pages when `PAGE_CACHE` is on."""
    app.jinja_env.globals["switcher_csrf_token"] = switcher_csrf_token
    if not app.config["PAGE_CACHE"]:
        return
    app.extensions["page_cache"] = PageCache(app)
    _listen()
    # First of all hooks: a page served from the cache needs nothing else (the after-request
    # hooks still run, so it gets the security headers and compression like any other).
    app.before_request_funcs.setdefault(None, []).insert(0, _lookup)
    # Registered last, so it runs first: it stores the page before headers are added or it is
    # compressed (both are done again for every hit).
    app.after_request(_store)
