"""Languages: which one a request is served in, and the direction of its script."""

from __future__ import annotations

from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user


def supported() -> list[str]:
    """The codes of every shipped language, English first."""
    return list(current_app.config["LANGUAGES"])


# Formats follow the British conventions for English (27/03/2027, 21:30), not Babel's American default.
REGIONAL = {"en": "en_GB"}


def select_locale() -> str:
    """Pick the language: `?lang=`, then the user's setting, then the switcher, then the browser."""
    return REGIONAL.get(code := _chosen_language(), code)


def _chosen_language() -> str:
    codes = supported()
    asked = request.args.get("lang")
    if asked in codes:
        return asked
    if current_user and current_user.is_authenticated and current_user.locale in codes:
        return current_user.locale
    return anonymous_language()


def anonymous_language() -> str:
    """The language of a visitor who is not signed in: `?lang=`, then the switcher, then the browser."""
    codes = supported()
    asked = request.args.get("lang")
    if asked in codes:
        return asked
    chosen = session.get("lang")
    if chosen in codes:
        return chosen
    return request.accept_languages.best_match(codes) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """The code of the language this request is served in."""
    return str(get_locale() or "en").split("_")[0]


def text_direction() -> str:
    """`rtl` for right-to-left scripts, otherwise `ltr`."""
    return current_app.config["LANGUAGES"].get(current_language(), ("", "ltr"))[1]


def resolve_early() -> None:
    """Choose the request's language before the view runs.

    Flask-Babel chooses it at the first translated string; when that comes after a view's commit,
    reading the user's language would load the user again from the database.
    """
    from flask_babel import get_locale

    get_locale()
