"""Headers every response carries, and the checks on where a form may send someone next."""

from __future__ import annotations

import hashlib
from urllib.parse import urljoin, urlsplit

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

from participate.login import log_event

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def add_security_headers(response):
    """Set the security headers on a response (every response, errors included)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if "Cache-Control" not in headers and _signed_in():
        # A page made for one person must never be kept by a shared cache.
        headers["Cache-Control"] = "private, no-cache"
    return response


def log_rate_limit_refusal(response):
    """Log every 429, from the limiter or a form's own posting limit, as a security event."""
    if response.status_code == 429:
        log_event(
            "rate-limit-refused", current_user, endpoint=request.endpoint, request_method=request.method
        )
    return response


def _signed_in() -> bool:
    try:
        # is_anonymous reads no column: after a view's commit, is_authenticated would reload the user.
        return bool(current_user) and not current_user.is_anonymous
    except Exception:  # noqa: BLE001 - outside a request with a user loader, nobody is signed in
        return False


def no_store(response):
    """Keep a response out of every cache, the browser's and the offline copy included."""
    response.headers["Cache-Control"] = "no-store"
    return response


def is_safe_next(target: str | None) -> bool:
    """Whether `next=` points back into this site (never off-site, never to another scheme)."""
    if not target or target.startswith(("//", "\\")) or "\\" in target:
        return False
    base = urlsplit(request.host_url)
    test = urlsplit(urljoin(request.host_url, target))
    return test.scheme in {"http", "https"} and test.netloc == base.netloc and target.startswith("/")


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, signed with HMAC-SHA-256 instead of the default SHA-1.

    A cookie signed with SHA-1 (from before this setting, or forged that way) is not read: the
    visitor starts a new, empty session.
    """

    digest_method = staticmethod(hashlib.sha256)


def init_app(app: Flask) -> None:
    """Register the header hook and the session cookie signing."""
    app.session_interface = SessionCookies()
    app.after_request(add_security_headers)
    app.after_request(log_rate_limit_refusal)
