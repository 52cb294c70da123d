"""Public pages are cached for visitors who are not signed in, and every change to what they show
makes the next visitor get a fresh page: in one process, and across app processes sharing the
instance folder (SQLite) or Redis."""

from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar

import pytest
import sqlalchemy as sa

from participate import page_cache
from participate.extensions import db
from participate.models import Ballot, OutboxMessage, OutcomeProposal, Participation, utcnow
from participate.models.deliberation import Phase
from tests.deliberation_support import HOME, make_consultation, make_option, make_proposal
from tests.support import CSRF_RE, AppProcess, Client, redis_reachable


@pytest.fixture
def visitor(cached_app):
    return Client(cached_app)


def _without_tokens(html: str) -> str:
    return CSRF_RE.sub('name="csrf_token" value=""', html)


def _token(html: str) -> str:
    return CSRF_RE.search(html).group(1)


def test_a_second_anonymous_visit_is_served_from_the_cache_and_is_the_same_page(visitor, people, wards):
    make_proposal(people["resident in ward"], wards[HOME], title="Trees on the high street")
    db.session.commit()
    first = visitor.get("/proposals/")
    second = visitor.get("/proposals/")
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.headers["X-Cache"] == "miss" and second.headers["X-Cache"] == "hit"
    assert "Trees on the high street" in second.get_data(as_text=True)
    assert _without_tokens(second.get_data(as_text=True)) == _without_tokens(first.get_data(as_text=True))
    # A hit carries the same security headers as any response.
    for name in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert second.headers[name] == first.headers[name]
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    # HEAD is answered from the same entry, and the query string is part of the key.
    assert visitor.request("HEAD", "/proposals/").headers["X-Cache"] == "hit"
    assert visitor.get("/proposals/?sort=supported").headers["X-Cache"] == "miss"


def test_every_visitor_gets_their_own_csrf_token_in_a_cached_page(cached_app, visitor):
    first = visitor.get("/")
    assert first.headers["X-Cache"] == "miss"
    other = Client(cached_app)
    hit = other.get("/")
    assert hit.headers["X-Cache"] == "hit"
    mine, theirs = _token(first.get_data(as_text=True)), _token(hit.get_data(as_text=True))
    assert mine != theirs and page_cache.TOKEN_HOLE not in hit.get_data(as_text=True)
    # Each token works for its own visitor (the language switcher) and not for the other.
    assert other.post("/language", {"lang": "fr", "next": "/"}, csrf=theirs).status_code == 302
    assert visitor.post("/language", {"lang": "fr", "next": "/"}, csrf=theirs).status_code == 400


def test_a_page_with_a_form_of_its_own_is_never_cached(cached_app, visitor):
    pages = [visitor.get("/sign-in") for _ in range(2)]
    assert [p.headers["X-Cache"] for p in pages] == ["miss", "miss"]
    other = Client(cached_app).get("/sign-in")
    assert other.headers["X-Cache"] == "miss"
    assert _token(other.get_data(as_text=True)) != _token(pages[1].get_data(as_text=True))


def test_a_signed_in_visitor_is_never_served_a_cached_page_and_stores_none(
    cached_app, visitor, people, wards
):
    resident = people["resident in ward"]
    make_proposal(resident, wards[HOME], title="A bench by the library")
    db.session.commit()
    assert visitor.get("/proposals/").headers["X-Cache"] == "miss"
    assert visitor.get("/proposals/").headers["X-Cache"] == "hit"
    member = Client(cached_app)
    member.sign_in(resident)
    for url in ("/proposals/", "/", f"/wards/{HOME}"):
        page = member.get(url)
        assert page.status_code == 200 and "X-Cache" not in page.headers
        assert "Sign out" in page.get_data(as_text=True)
    # What the signed-in resident saw was not stored for anyone else.
    assert visitor.get(f"/wards/{HOME}").headers["X-Cache"] == "miss"
    # A flashed message is the visitor's own: that page is neither served from nor put in the cache.
    member.sign_out()
    flashed = member.get("/")
    assert "X-Cache" not in flashed.headers


def test_the_language_is_part_of_the_key(cached_app):
    french, english = Client(cached_app), Client(cached_app)
    fr = french.get("/", headers={"Accept-Language": "fr"})
    en = english.get("/", headers={"Accept-Language": "en"})
    assert (fr.headers["X-Cache"], en.headers["X-Cache"]) == ("miss", "miss")
    again = Client(cached_app).get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert again.headers["X-Cache"] == "hit"
    assert 'lang="fr"' in again.get_data(as_text=True) and 'lang="en"' in en.get_data(as_text=True)
    assert _without_tokens(again.get_data(as_text=True)) == _without_tokens(fr.get_data(as_text=True))
    # ?lang= wins over the browser, in the key as in the page.
    asked = Client(cached_app).get("/?lang=es", headers={"Accept-Language": "fr"})
    assert asked.headers["X-Cache"] == "miss" and 'lang="es"' in asked.get_data(as_text=True)


def test_a_new_proposal_through_the_app_makes_the_next_visit_fresh(cached_app, visitor, people):
    visitor.get("/proposals/")
    assert visitor.get("/proposals/").headers["X-Cache"] == "hit"
    author = Client(cached_app)
    author.sign_in(people["resident in ward"])
    response = author.post(
        f"/wards/{HOME}/proposals/new", {"title": "A playground for Brixton", "body": "Swings and slides."}
    )
    assert response.status_code == 302
    fresh = visitor.get("/proposals/")
    assert fresh.headers["X-Cache"] == "miss"
    assert "A playground for Brixton" in fresh.get_data(as_text=True)
    assert visitor.get("/proposals/").headers["X-Cache"] == "hit"


def test_a_comment_through_the_app_makes_the_next_visit_fresh(cached_app, visitor, people, wards):
    proposal = make_proposal(people["resident in ward"], wards[HOME])
    db.session.commit()
    url = f"/proposals/{proposal.id}"
    visitor.get(url)
    assert visitor.get(url).headers["X-Cache"] == "hit"
    neighbour = Client(cached_app)
    neighbour.sign_in(people["resident in ward"])
    neighbour.get(url)
    response = neighbour.post(
        f"/discussion/proposal/{proposal.id}", {"body": "Yes, and lighting too.", "stance": "for"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    fresh = visitor.get(url)
    assert fresh.headers["X-Cache"] == "miss" and "Yes, and lighting too." in fresh.get_data(as_text=True)


def _generation(application) -> int:
    return application.extensions["page_cache"].generation.read()


def test_ballots_bump_the_generation_and_private_bookkeeping_does_not(cached_app, people, wards):
    consultation = make_consultation(wards=[wards[HOME]], phase=Phase.VOTING)
    option = make_option(consultation, people["resident in ward"])
    db.session.commit()
    before = _generation(cached_app)
    # Mail queued, a notification, a sign-in: no public page shows them.
    db.session.add(OutboxMessage(to_address="a@example.org", kind="test", subject="Hello", body_text="Hello"))
    db.session.commit()
    people["resident in ward"].last_sign_in_at = utcnow()
    db.session.commit()
    assert _generation(cached_app) == before
    # A ballot changes counts some pages show while voting is open.
    voter = people["resident out of ward"]
    db.session.add(Ballot(consultation_id=consultation.id, voter_id=voter.id, receipt=uuid.uuid4().hex[:20]))
    db.session.add(Participation(consultation_id=consultation.id, user_id=voter.id))
    db.session.commit()
    assert _generation(cached_app) == before + 1
    # So does a bulk update, and a change to what a user shows publicly.
    db.session.execute(sa.update(OutcomeProposal).values(support_count=1))
    db.session.commit()
    people["resident in ward"].display_name = "Rita R."
    db.session.commit()
    assert _generation(cached_app) == before + 3
    # A rolled-back change bumps nothing; a commit with no change bumps nothing.
    option.title = "Something else"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert _generation(cached_app) <= before + 4


@pytest.mark.parametrize("store", ["cached_app", "redis_cached_app"])
def test_the_generation_is_read_before_the_page_is_rendered(request, store, people, wards):
    """A page rendered from data a commit then replaced is stored under a generation nobody reads."""
    cached_app = request.getfixturevalue(store)
    make_proposal(people["resident in ward"], wards[HOME], title="Before")
    db.session.commit()
    state = {"race": True}

    def racing_view():
        # Read, then (as a concurrent request would) commit a change before this page is stored.
        title = db.session.scalar(sa.select(OutcomeProposal.title))
        if state.pop("race", False):
            db.session.execute(sa.update(OutcomeProposal).values(title="After"))
            db.session.commit()
        return f"<p>{title}</p>"

    cached_app.add_url_rule("/_race", "race", racing_view)
    visitor = Client(cached_app)
    stale = visitor.get("/_race")
    assert stale.get_data(as_text=True) == "<p>Before</p>" and stale.headers["X-Cache"] == "miss"
    fresh = visitor.get("/_race")
    assert fresh.headers["X-Cache"] == "miss" and fresh.get_data(as_text=True) == "<p>After</p>"
    assert visitor.get("/_race").headers["X-Cache"] == "hit"


def test_the_file_generation_counts_up_across_readers(tmp_path):
    one, two = page_cache.FileGeneration(tmp_path), page_cache.FileGeneration(tmp_path)
    assert one.read() == 0
    assert [one.bump(), two.bump(), one.bump()] == [1, 2, 3]
    assert two.read() == 3


def test_the_memory_store_is_bounded_and_forgets_older_generations():
    pages = page_cache.MemoryPages(max_entries=2, ttl=60)
    assert pages.get("a", 1) is None
    for key in "abc":
        pages.put(key, 1, key.encode())
    assert pages.get("a", 1) is None and pages.get("c", 1) == b"c"
    # Nothing is kept under a generation other than the one last read.
    assert pages.get("c", 2) is None
    pages.put("c", 1, b"old")
    assert pages.get("c", 2) is None and not pages.entries


# --- several app processes ---------------------------------------------------------------------


class Browser:
    """A minimal HTTP client with cookies, for talking to app processes."""

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, url):
        with self.opener.open(url) as r:
            return r.headers.get("X-Cache"), r.read().decode()

    def post(self, url, data) -> int:
        _, html = self.get(url)
        data = {"csrf_token": CSRF_RE.search(html).group(1), **data}
        try:
            with self.opener.open(url, urllib.parse.urlencode(data).encode()) as r:
                return r.status
        except urllib.error.HTTPError as exc:
            return exc.code


def _processes_invalidate_each_other(env, other_env, people, wards):
    make_proposal(people["resident in ward"], wards[HOME], title="Older proposal")
    db.session.commit()
    first, second = AppProcess(env), AppProcess(other_env)
    processes = [first.start(), second.start()]
    try:
        reader = Browser()
        for process in processes:
            seen = [reader.get(process.url + "/proposals/")[0] for _ in range(3)]
            assert seen[-1] == "hit", seen
        author = Browser()
        author.post(first.url + "/sign-in", {"email": people["resident in ward"].email,
                                               "password": "correct horse battery staple"})  # fmt: skip
        status = author.post(
            first.url + f"/wards/{HOME}/proposals/new", {"title": "Newer proposal", "body": "Text"}
        )
        assert status == 200  # the redirect to the new proposal, followed
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutcomeProposal)) == 2
        # Both processes show it at once: neither serves the page it had kept.
        for process in (second, first):
            cache, html = reader.get(process.url + "/proposals/")
            assert cache == "miss" and "Newer proposal" in html
            assert reader.get(process.url + "/proposals/")[0] == "hit"
    finally:
        for process in processes:
            process.stop()


def test_two_app_processes_invalidate_each_other_through_the_instance_folder(
    app_config, people, wards, tmp_path
):
    env = {
        "DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"],
        "INSTANCE_PATH": str(tmp_path),
        "PAGE_CACHE": "1",
        "RATELIMIT_ENABLED": "0",
    }
    _processes_invalidate_each_other(env, env, people, wards)


@pytest.mark.redis
def test_two_app_processes_invalidate_each_other_through_redis(app_config, people, wards, tmp_path):
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not redis_reachable(redis_url):
        pytest.skip(f"no Redis server at {redis_url}")
    env = {
        "DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": redis_url,
        "PAGE_CACHE": "1",
        "PAGE_CACHE_PREFIX": f"test-{uuid.uuid4().hex}",
        "RATELIMIT_ENABLED": "0",
    }
    # Each process has an instance folder of its own: only Redis joins them.
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    try:
        _processes_invalidate_each_other(
            {**env, "INSTANCE_PATH": str(tmp_path / "one")},
            {**env, "INSTANCE_PATH": str(tmp_path / "two")},
            people,
            wards,
        )
    finally:
        import redis

        server = redis.Redis.from_url(redis_url)
        for key in server.scan_iter(f"{env['PAGE_CACHE_PREFIX']}:*"):
            server.delete(key)


def test_the_cache_can_be_turned_off(client):
    # (the tests' own setting: see tests/support.py)
    assert "X-Cache" not in client.get("/").headers
    assert "X-Cache" not in client.get("/").headers
