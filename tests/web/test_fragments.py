"""The pieces of a busy consultation page kept in the page cache's store: every viewer gets the very
page they would get without them, and every write shows in the next view."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from flask import render_template_string

from participate import fragments
from participate.extensions import db
from participate.models import Stance, utcnow
from tests.deliberation_support import HOME, make_comment, make_consultation, make_option
from tests.support import CSRF_RE, Client


@pytest.fixture(params=["cached_app", "redis_cached_app"])
def store_app(request):
    """The app with its page cache in this process, then in Redis."""
    return request.getfixturevalue(request.param)


def _without_tokens(html: str) -> str:
    return CSRF_RE.sub('name="csrf_token" value=""', html)


def _busy_consultation(people, wards, make_user):
    """Options (one hidden) and a discussion with replies, a hidden and a deleted comment, and a
    comment its author may still edit."""
    consultation = make_consultation(wards=[wards[HOME]])
    authors = [people["resident in ward"], people["councillor of this ward"], people["officer"]]
    for n in range(12):
        make_option(
            consultation,
            authors[n % 2],
            title=f"Option {n}",
            estimated_cost_pence=50_000 * (n + 1),
            hidden_at=utcnow() if n == 5 else None,
            hidden_reason="Spam" if n == 5 else None,
        )
    earlier = utcnow() - timedelta(hours=2)
    made = []
    for n in range(30):
        made.append(
            make_comment(
                authors[n % 3],
                consultation,
                body=f"Comment {n} with **some** text",
                parent=made[-1] if n % 3 and made else None,
                stance=list(Stance)[n % 3],
                created_at=earlier + timedelta(minutes=n),
                hidden_at=utcnow() if n == 7 else None,
                hidden_reason="Personal attack" if n == 7 else None,
                deleted_at=utcnow() if n == 11 else None,
            )
        )
    author = make_user(name="Eddie Editor")
    fresh = make_comment(author, consultation, body="Just posted, still editable")
    db.session.commit()
    return consultation, fresh, author


def _viewers(people, author, make_user):
    return {
        "anonymous": None,
        "resident": make_user(name="Reggie Reader"),
        "resident elsewhere": people["resident out of ward"],
        "author in the edit window": author,
        "councillor of the ward": people["councillor of this ward"],
        "admin": people["admin"],
    }


def _client(application, user):
    client = Client(application)
    if user is not None:
        client.sign_in(user)
    client.get("/")  # whatever the sign-in flashed is shown here, not on the pages compared
    return client


def test_every_viewer_gets_the_same_page_with_the_fragments_as_without(
    app, store_app, people, wards, make_user
):
    consultation, fresh, author = _busy_consultation(people, wards, make_user)
    url = f"/consultations/{consultation.id}"
    pages = {}
    for name, user in _viewers(people, author, make_user).items():
        without = _without_tokens(_client(app, user).get(url).get_data(as_text=True))
        cached = _client(store_app, user)
        first = _without_tokens(cached.get(url).get_data(as_text=True))
        second = _without_tokens(cached.get(url).get_data(as_text=True))
        assert first == without, name
        assert second == without, name
        pages[name] = without
    # The viewers do see different pages, so the comparison above means something.
    assert len(set(pages.values())) == len(pages)
    assert f"/comments/{fresh.id}/edit" in pages["author in the edit window"]
    assert f"/comments/{fresh.id}/edit" not in pages["resident"]
    assert "Show the text (moderators only)" in pages["councillor of the ward"]
    assert "Show the text (moderators only)" not in pages["resident"]
    assert "Suspend the author" in pages["admin"]

    # The pieces are kept: one group for the page's consultation, in its language.
    cache = store_app.extensions["page_cache"]
    stored = cache.pages.get(
        fragments._store_key(f"consultation-{consultation.id}", "en"), cache.generation.read()
    )
    pieces = json.loads(stored)
    assert f"comment\x1f{fresh.id}\x1fFalse" in pieces
    assert sum(name.startswith("option\x1f") for name in pieces) == 11
    assert not any('name="csrf_token"' in html for html in pieces.values())


def test_an_edit_and_a_hide_show_in_the_next_view(store_app, people, wards, make_user):
    consultation, fresh, author = _busy_consultation(people, wards, make_user)
    url = f"/consultations/{consultation.id}"
    reader = _client(store_app, make_user(name="Reggie Reader"))
    assert "Just posted, still editable" in reader.get(url).get_data(as_text=True)
    assert "Just posted, still editable" in reader.get(url).get_data(as_text=True)

    writer = _client(store_app, author)
    writer.get(f"/comments/{fresh.id}/edit")
    response = writer.post(f"/comments/{fresh.id}/edit", {"body": "Corrected text", "stance": "against"})
    assert response.status_code == 302
    html = reader.get(url).get_data(as_text=True)
    assert "Corrected text" in html and "Just posted, still editable" not in html
    assert "(edited)" in html

    councillor = _client(store_app, people["councillor of this ward"])
    councillor.get(url)
    councillor.get(f"/moderation/comment/{fresh.id}/hide")
    response = councillor.post(f"/moderation/comment/{fresh.id}/hide", {"reason": "Off topic here"})
    assert response.status_code == 302
    html = reader.get(url).get_data(as_text=True)
    assert "Hidden by a moderator: Off topic here" in html and "Corrected text" not in html
    seen = councillor.get(url).get_data(as_text=True)
    assert "Hidden by a moderator: Off topic here" in seen and "Corrected text" in seen


def test_a_fragment_holding_the_requests_csrf_token_is_never_kept(cached_app):
    template = (
        '{% call fragment("g", "form") %}<input value="{{ csrf_token() }}">{% endcall %}'
        '{% call fragment("g", "text") %}<p>{{ n }}</p>{% endcall %}'
    )
    with cached_app.test_request_context("/"):
        cached_app.preprocess_request()
        assert render_template_string(template, n=1).endswith("<p>1</p>")
        pieces = next(iter(fragments.g.fragment_groups.values()))["pieces"]
        assert list(pieces) == ["text"]
        # Within the generation, the kept piece is served, the token's piece made again.
        assert render_template_string(template, n=2).endswith("<p>1</p>")


def test_without_the_page_cache_fragments_are_rendered_every_time(app):
    template = '{% call fragment("g", "piece") %}{{ n }}{% endcall %}'
    with app.test_request_context("/"):
        assert render_template_string(template, n=1) == "1"
        assert render_template_string(template, n=2) == "2"


def test_who_moderates_somewhere_and_the_addresses_made_once(app, people, wards, make_user):
    from flask import url_for

    from participate.permissions import can_moderate, can_moderate_somewhere
    from participate.templating import url_for_each

    consultation, fresh, author = _busy_consultation(people, wards, make_user)
    somewhere = {name for name, person in people.items() if can_moderate_somewhere(person)}
    assert somewhere == {"councillor of this ward", "councillor of another ward", "officer", "admin"}
    for name, person in people.items():
        for target in (consultation, fresh):
            assert not can_moderate(person, target) or name in somewhere, name
    with app.test_request_context("/"):
        reply = url_for_each("discussion.comment", "reply_to", kind="consultation", thread_id=7)
        flag = url_for_each("moderation.flag", "target_id", target_type="comment")
        for n in (1, 7, 12345):
            assert reply(n) == url_for("discussion.comment", kind="consultation", thread_id=7, reply_to=n)
            assert flag(n) == url_for("moderation.flag", target_type="comment", target_id=n)
