"""Six languages (seven with Arabic): complete catalogues, and the language chosen per request."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from participate import PROJECT_ROOT, TRANSLATIONS_DIR
from participate.catalogues import compile_catalogues
from participate.config import LANGUAGES
from participate.extensions import db

SHIPPED = [code for code in LANGUAGES if code != "en"]


def catalogue(code):
    with (TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=code)


def template_ids():
    with (TRANSLATIONS_DIR / "messages.pot").open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


@pytest.mark.parametrize("code", SHIPPED)
def test_every_message_is_translated_and_none_is_fuzzy(code):
    cat = catalogue(code)
    missing, fuzzy = [], []
    for message in cat:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s.strip() for s in strings):
            missing.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not missing, f"{code}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{code}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("code", SHIPPED)
def test_every_extracted_message_is_in_the_catalogue(code):
    have = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(code) if m.id}
    missing = template_ids() - have
    assert not missing, f"{code} lacks {len(missing)} messages: run `flask translate update`"


def test_the_template_holds_every_string_of_the_source(tmp_path):
    """messages.pot is extracted afresh: a string added to the code but never extracted fails here."""
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(PROJECT_ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-o",
            str(fresh),
            "participate",
        ],
        check=True,
        cwd=PROJECT_ROOT,
        capture_output=True,
    )
    with fresh.open("rb") as fh:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    missing = extracted - template_ids()
    assert not missing, (
        f"{len(missing)} strings not extracted, e.g. {sorted(missing)[:5]}: run `flask translate update`"
    )


@pytest.mark.parametrize("code", SHIPPED)
def test_placeholders_survive_translation(code):
    pattern = re.compile(r"%\((\w+)\)s|\{\{\s*(\w+)\s*\}\}")
    for message in catalogue(code):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = {m for i in ids for m in pattern.findall(i)}
        for s in strings:
            got = set(pattern.findall(s))
            assert got <= wanted and (got or not wanted), (code, message.id, s)


def test_catalogues_compile(tmp_path):
    import shutil

    copy = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS_DIR, copy, ignore=shutil.ignore_patterns("*.mo"))
    compiled = compile_catalogues(copy)
    assert {p.parent.parent.name for p in compiled} == set(SHIPPED)
    assert all(p.stat().st_size > 1000 for p in compiled)


def test_a_page_asked_for_in_polish_comes_back_in_polish(client):
    html = client.get("/sign-in?lang=pl").get_data(as_text=True)
    assert '<html lang="pl" dir="ltr">' in html
    assert "Zaloguj się" in html


def test_arabic_pages_are_right_to_left(client):
    html = client.get("/?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html


def test_language_follows_the_browser_then_the_switcher_then_the_account(client, make_user):
    assert 'lang="es"' in client.get("/", headers={"Accept-Language": "es-ES,es;q=0.9"}).get_data(
        as_text=True
    )
    client.get("/")
    response = client.post("/language", {"lang": "fr", "next": "/sign-in"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    assert '<html lang="fr"' in client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    user = make_user(locale="so")
    client.sign_in(user)
    assert '<html lang="so"' in client.get("/").get_data(as_text=True)
    client.post("/language", {"lang": "pt"})
    db.session.refresh(user)
    assert user.locale == "pt"


def test_language_switcher_never_redirects_off_site(client):
    client.get("/")
    response = client.post("/language", {"lang": "pl", "next": "https://evil.example/"})
    assert response.headers["Location"] in ("/", "http://localhost/")
    response = client.post("/language", {"lang": "pl", "next": "//evil.example/"})
    assert "evil" not in response.headers["Location"]


def test_dates_and_money_follow_the_language(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from participate.templating import money, when

    summer = datetime(2026, 7, 1, 11, 30, tzinfo=UTC)  # 12:30 in London (BST)
    with app.test_request_context(), force_locale("en"):
        assert "12:30" in when(summer)
        assert money(123456) == "£1,234.56"
        assert money(500000) == "£5,000"
    with app.test_request_context(), force_locale("pl"):
        assert "12:30" in when(summer) and "lip" in when(summer)
        # Polish groups with a space, uses a decimal comma, and names the currency as CLDR says.
        assert money(123456).replace("\xa0", " ").startswith("1 234,56")


def test_english_pages_use_british_dates_and_times(app):
    from datetime import UTC, datetime

    from participate.templating import when

    with app.test_request_context("/", headers={"Accept-Language": "en-US,en;q=0.9"}):
        text = when(datetime(2026, 12, 24, 20, 5, tzinfo=UTC), "short")
    assert text == "24/12/2026, 20:05"
