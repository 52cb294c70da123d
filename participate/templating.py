"""What every template can use: permissions, languages, and Babel formatting in Europe/London."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

from babel.numbers import format_currency
from flask import Flask, current_app, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, format_percent, get_locale

from participate import i18n, permissions


def money(pence: int | None) -> str:
    """Format an amount in pence as pounds in the current language (whole pounds shown without pence)."""
    if pence is None:
        return ""
    pounds = pence / 100
    fmt = None if pence % 100 else "¤#,##0"
    return format_currency(pounds, "GBP", format=fmt, locale=str(get_locale()), currency_digits=fmt is None)


def when(value: datetime | date | None, fmt: str = "medium") -> str:
    """A date and time in Europe/London, in the current language."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, fmt)
    return format_date(value, fmt)


def day(value: datetime | date | None, fmt: str = "long") -> str:
    """A date (in Europe/London) in the current language."""
    if value is None:
        return ""
    return format_date(value, fmt)


def iso(value: datetime | None) -> str:
    """A machine-readable timestamp for `<time datetime>`."""
    return value.isoformat() if value else ""


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
    )
    app.jinja_env.filters.update(
        money=money,
        when=when,
        day=day,
        iso=iso,
        number=lambda v: format_decimal(v) if v is not None else "",
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
