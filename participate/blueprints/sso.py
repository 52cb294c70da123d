"""Staff single sign-on with OpenID Connect (authorisation code + PKCE, state and nonce checked).

A staff account is matched by its verified email address; roles stay granted in the platform.
"""

from __future__ import annotations

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import FlaskOAuth2App
from authlib.integrations.requests_client import OAuth2Session
from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_babel import gettext as _

from participate import login
from participate.extensions import db, oauth
from participate.services import accounts

bp = Blueprint("sso", __name__)
log = logging.getLogger(__name__)

# A call to the provider that hangs must not hold a worker for long.
PROVIDER_TIMEOUT_SECONDS = 10


class _ProviderSession(OAuth2Session):
    """The HTTP session for calls to the provider (discovery, token, keys, userinfo).

    A redirect is never followed (ASVS 15.3.2): the issuer's own addresses are the only ones the
    server calls, so an answer pointing elsewhere is refused rather than sending the code, the
    client secret or trust in the keys to another host.
    """

    def request(self, method, url, *args, **kwargs):
        kwargs["allow_redirects"] = False
        response = super().request(method, url, *args, **kwargs)
        if 300 <= response.status_code < 400:
            raise OAuthError(
                error="redirect_refused",
                description=f"{method} {url} answered {response.status_code}; redirects are not followed",
            )
        return response


class _ProviderClient(FlaskOAuth2App):
    client_cls = _ProviderSession


@bp.record_once
def _register_client(state) -> None:
    config = state.app.config
    if not config.get("OIDC_ISSUER"):
        return
    # One registration per app object (Authlib caches clients by name; tests build several apps).
    name = f"staff_{id(state.app)}"
    state.app.extensions["participate.sso_client"] = name
    oauth.register(
        name,
        client_cls=_ProviderClient,
        client_id=config["OIDC_CLIENT_ID"],
        client_secret=config["OIDC_CLIENT_SECRET"],
        server_metadata_url=config["OIDC_ISSUER"].rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={
            "scope": "openid email profile",
            "code_challenge_method": "S256",
            "default_timeout": PROVIDER_TIMEOUT_SECONDS,
        },
    )


def _client():
    if not current_app.config.get("OIDC_ISSUER"):
        abort(404)
    return oauth.create_client(current_app.extensions["participate.sso_client"])


def _refuse(message: str, status: int = 400):
    return render_template("auth/sso_failed.html", message=message), status


# The provider refused, redirected or could not be reached: say so, and sign nobody in.
PROVIDER_FAILURES = (AuthlibBaseError, requests.RequestException)


@bp.get("/sign-in/staff")
def start():
    """Send the browser to the council's identity provider."""
    client = _client()
    try:
        return client.authorize_redirect(url_for("sso.callback", _external=True))
    except PROVIDER_FAILURES as exc:
        log.warning("staff sign-on could not reach the provider: %r", exc)
        return _refuse(_("Signing in with your council account did not work. Please try again."), 502)


@bp.get("/sign-in/staff/callback")
def callback():
    """Come back from the identity provider: check everything, then sign the staff member in."""
    client = _client()
    try:
        token = client.authorize_access_token()
    except PROVIDER_FAILURES as exc:
        # A wrong state, a used or expired code, a bad signature or nonce all end here.
        log.warning("staff sign-on refused: %r", exc)
        return _refuse(_("Signing in with your council account did not work. Please try again."))
    claims = dict(token.get("userinfo") or {})
    if "email" not in claims:
        # Providers may keep claims out of the ID token: ask the userinfo endpoint, same subject only.
        try:
            extra = client.userinfo(token=token)
        except PROVIDER_FAILURES as exc:
            log.warning("staff sign-on userinfo failed: %r", exc)
            extra = {}
        if extra.get("sub") == claims.get("sub"):
            claims.update(extra)
    email = claims.get("email")
    if not email or claims.get("email_verified") is not True:
        return _refuse(_("Your council account did not confirm an email address, so we cannot match it."))
    user = accounts.find_by_email(email)
    if user is None or not user.is_active or not user.holds_staff_role:
        return _refuse(
            _(
                "There is no staff account here for %(email)s. Ask an administrator to give you a role.",
                email=email,
            ),
            403,
        )
    if user.has_two_factor:
        login.await_second_factor(user, remember=False, next_url=None, method="oidc")
        return redirect(url_for("auth.second_factor"))
    login.start_session(user, method="oidc")
    db.session.commit()
    return redirect(url_for("account.two_factor"))
