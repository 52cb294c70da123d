"""Hostile input: whatever people type into proposals and comments is kept as typed and shown without
anything a browser would run."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from markupsafe import escape

from participate.extensions import db
from participate.models import Comment, OutcomeProposal
from tests.deliberation_support import HOME, make_proposal

RLO = "\u202e"

HOSTILE = {
    "script tag": "<script>alert('x')</script> hello",
    "script in markdown code": "`<script>alert(1)</script>` and\n\n    <script>alert(2)</script>",
    "javascript link in markdown": "[click me](javascript:alert(1))",
    "javascript link, mixed case and spaces": "[click](  JaVaScRiPt:alert(1) )",
    "javascript autolink": "<javascript:alert(1)>",
    "data url link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "raw html link": '<a href="javascript:alert(1)">x</a>',
    "event handler attribute": '<img src=x onerror="alert(1)"> <p onclick="alert(1)">tap</p>',
    "event handler in markdown image": '![x](https://example.org/x.png"onerror="alert(1))',
    "svg": '<svg onload="alert(1)"><circle r="5"/></svg>',
    "svg inside markdown link": "[<svg/onload=alert(1)>](https://example.org)",
    "css expression": '<p style="width: expression(alert(1))">wide</p>',
    "css url": '<div style="background:url(javascript:alert(1))">bg</div><style>body{}</style>',
    "malformed tags": "<scr<script>ipt>alert(1)</scr</script>ipt> <<b>b>bold<</b>/b>",
    "nested quotes in href": '<a href="<a href=javascript:alert(1)>">x</a>',
    "mutation xss": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>",
    "iframe and object": '<iframe src="https://evil.example"></iframe><object data="x.swf"></object>',
    "right-to-left override": f"Open the file {RLO}txt.exe{RLO} now, see https://example.org/{RLO}gpj.exe",
    "entities": "&lt;script&gt;alert(1)&lt;/script&gt; &#106;avascript:alert(1)",
}

# The site's own script, with its content fingerprint.
ALLOWED_SCRIPT = re.compile(r'<script src="/static/js/site\.js(\?v=[0-9a-f]+)?" defer>')
FORBIDDEN_TAGS = {"iframe", "object", "embed", "svg", "math", "img", "style", "base", "mglyph", "mtext"}


def assert_inert(html: str) -> None:
    """No tag on the page can run anything: no scripts (but the site's own), no event handlers,
    no javascript:/data: addresses, no inline styles, no SVG or embedded content."""
    for tag in re.findall(r"<[a-zA-Z][^>]*>", html):
        name = re.match(r"<([a-zA-Z0-9]+)", tag).group(1).lower()
        if name == "script":
            assert ALLOWED_SCRIPT.fullmatch(tag), tag
        assert name not in FORBIDDEN_TAGS, tag
        assert not re.search(r"\son[a-z]+\s*=", tag, re.I), tag
        assert not re.search(r"\sstyle\s*=", tag, re.I), tag
        lowered = re.sub(r"\s", "", tag.lower())
        for scheme in ("javascript:", "data:", "vbscript:"):
            assert scheme not in lowered, tag
        if name == "a" and "href=" in tag:
            assert re.search(r'href="(https?:|mailto:|/|#|\?)', tag), tag


@pytest.mark.parametrize("text", list(HOSTILE.values()), ids=list(HOSTILE))
def test_a_hostile_proposal_is_kept_as_typed_and_shown_inert(client, people, text):
    client.sign_in(people["resident in ward"])
    client.get(f"/wards/{HOME}/proposals/new")
    title = text.splitlines()[0][:160]
    response = client.post(f"/wards/{HOME}/proposals/new", {"title": title, "body": text})
    assert response.status_code == 302, client.last_html[:2000]
    proposal = db.session.scalar(sa.select(OutcomeProposal))
    assert proposal.body == text.strip() and proposal.title == " ".join(title.split())
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert_inert(page)
    assert_inert(client.get(f"/wards/{HOME}").get_data(as_text=True))
    assert_inert(client.get(f"/wards/{HOME}/proposals?q=a").get_data(as_text=True))
    # Text reordering controls never reach the rendered text; titles are isolated with dir="auto".
    assert RLO not in proposal.body_html
    if RLO in title:
        assert f'<h1 dir="auto">{escape(" ".join(title.split()))}</h1>' in page


@pytest.mark.parametrize("text", list(HOSTILE.values()), ids=list(HOSTILE))
def test_a_hostile_comment_is_kept_as_typed_and_shown_inert(client, people, wards, text):
    proposal = make_proposal(people["councillor of this ward"], wards[HOME])
    db.session.commit()
    client.sign_in(people["resident in ward"])
    client.get(f"/proposals/{proposal.id}")
    response = client.post(f"/discussion/proposal/{proposal.id}", {"body": text, "stance": "against"})
    assert response.status_code == 302, client.last_html[:2000]
    comment = db.session.scalar(sa.select(Comment))
    assert comment.body == text.strip()
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert_inert(page)
    assert RLO not in comment.body_html
    # The author's edit page shows the text as typed, escaped.
    assert_inert(client.get(f"/comments/{comment.id}/edit").get_data(as_text=True))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("x" * 4990 + "<script>alert(1)</script>", "A comment must be 5,000 characters or fewer"),
        ("", "Write your comment"),
        ("   \n\t  ", "Write your comment"),
    ],
    ids=["very long", "empty", "only spaces"],
)
def test_a_comment_too_long_or_empty_is_refused_with_a_message_and_what_was_typed_kept(
    client, people, wards, body, message
):
    proposal = make_proposal(people["councillor of this ward"], wards[HOME])
    db.session.commit()
    client.sign_in(people["resident in ward"])
    client.get(f"/proposals/{proposal.id}")
    html = client.post(f"/discussion/proposal/{proposal.id}", {"body": body, "stance": "for"}).get_data(
        as_text=True
    )
    assert message in html and "There is a problem" in html
    assert_inert(html)
    assert escape(body.strip()) in html
    assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 0


def test_a_very_long_proposal_is_refused_and_the_text_kept(client, people):
    client.sign_in(people["resident in ward"])
    client.get(f"/wards/{HOME}/proposals/new")
    long_text = "Long words " * 1000
    html = client.post(f"/wards/{HOME}/proposals/new", {"title": "T" * 200, "body": long_text}).get_data(
        as_text=True
    )
    assert "160 characters or fewer" in html and "10,000 characters or fewer" in html
    assert long_text.strip() in html
    assert_inert(html)
    assert db.session.scalar(sa.select(sa.func.count(OutcomeProposal.id))) == 0
