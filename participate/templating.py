"""What every template can use: permissions, languages, and Babel formatting in Europe/London."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from types import SimpleNamespace

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.numbers import format_currency
from flask import Flask, current_app, request, url_for
from flask_babel import format_percent, get_locale, get_timezone

from participate import i18n, permissions


def money(pence: int | None) -> str:
    """Format an amount in pence as pounds in the current language (whole pounds shown without pence)."""
    if pence is None:
        return ""
    pounds = pence / 100
    fmt = None if pence % 100 else "¤#,##0"
    return format_currency(pounds, "GBP", format=fmt, locale=str(get_locale()), currency_digits=fmt is None)


# A page lists the same times and numbers on every view (a discussion's comments, a vote's
# counts), and Babel takes tens of microseconds for each: remember what it said, by language.
@lru_cache(maxsize=16384)
def _datetime_text(value: datetime, fmt: str, locale, tzinfo) -> str:
    return babel_dates.format_datetime(value, fmt, tzinfo=tzinfo, locale=locale)


@lru_cache(maxsize=8192)
def _date_text(value: date, fmt: str, locale) -> str:
    return babel_dates.format_date(value, fmt, locale=locale)


@lru_cache(maxsize=8192)
def _decimal_text(value, locale) -> str:
    return babel_numbers.format_decimal(value, locale=locale)


def when(value: datetime | date | None, fmt: str = "medium") -> str:
    """A date and time in Europe/London, in the current language."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _datetime_text(value, fmt, get_locale(), get_timezone())
    return _date_text(value, fmt, get_locale())


def day(value: datetime | date | None, fmt: str = "long") -> str:
    """A date (in Europe/London) in the current language."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        # As Flask-Babel's format_date: a moment's date is its date in Europe/London.
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(get_timezone()).date()
    return _date_text(value, fmt, get_locale())


def number(value) -> str:
    """A number in the current language."""
    return _decimal_text(value, get_locale()) if value is not None else ""


def iso(value: datetime | None) -> str:
    """A machine-readable timestamp for `<time datetime>`."""
    return value.isoformat() if value else ""


# Stands for the one value that changes in `url_for_each`: no address holds it by chance.
URL_PLACEHOLDER = 987_654_321_987_654_321


def url_for_each(endpoint: str, key: str, **values):
    """`url_for(endpoint, **values, key=…)` for many values of `key`: built once, then the value
    put in its place (the same address `url_for` gives, for an integer `key`)."""
    pattern = url_for(endpoint, **values, **{key: URL_PLACEHOLDER})
    placeholder = str(URL_PLACEHOLDER)
    if pattern.count(placeholder) != 1:
        return lambda value: url_for(endpoint, **values, **{key: value})
    head, _, tail = pattern.partition(placeholder)
    return lambda value: f"{head}{int(value)}{tail}"


def url_with_lang(code: str) -> str:
    """This page's address in another language (for hreflang links)."""
    args = dict(request.view_args or {})
    args.update(request.args.to_dict())
    args["lang"] = code
    return url_for(request.endpoint, **args) if request.endpoint else "/"


def init_app(app: Flask) -> None:
    """Register globals and filters."""
    app.jinja_env.globals.update(
        can=SimpleNamespace(**permissions.TEMPLATE_CHECKS),
        current_language=i18n.current_language,
        text_direction=i18n.text_direction,
        url_with_lang=url_with_lang,
        url_for_each=url_for_each,
    )
    app.jinja_env.filters.update(
        money=money,
        when=when,
        day=day,
        iso=iso,
        number=number,
        percent=lambda v: format_percent(v) if v is not None else "",
    )
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from participate import sections

    app.jinja_env.globals["sections"] = sections.render

    @app.context_processor
    def _languages():
        return {"languages": current_app.config["LANGUAGES"], "nav_items": current_app.config["NAV_ITEMS"]}
