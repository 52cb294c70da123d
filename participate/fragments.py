"""Pieces of a page that every viewer sees alike, kept in the page cache's store between requests.

A template wraps such a piece in a call block, naming its group (the page's subject, e.g. one
discussion) and its key (the object shown and every flag of the viewer the piece depends on):

    {% call fragment("consultation-1", "comment", c.id, show_text) %}...{% endcall %}

The pieces of one group are stored together, as one entry of the page cache (`participate.page_cache`)
under the request's language and the generation read before the view ran: one read per group and
request, one write when the request rendered a piece the group did not hold yet. Every commit that
changes what a page may show bumps the generation, so no piece outlives the data it was made from.

Only what depends on nothing but the database, the language and the key may go in a fragment: no
CSRF token (a piece that holds the request's token is never stored), no link or text for one viewer
that the key does not name. With the page cache off (`PAGE_CACHE=0`) or unreachable, every piece
is rendered each time.
"""

from __future__ import annotations

import hashlib
import json
import logging

from flask import Flask, current_app, g
from markupsafe import Markup

from participate import i18n
from participate.page_cache import CACHE_ERRORS

log = logging.getLogger(__name__)


def _store_key(group: str, language: str) -> str:
    return hashlib.sha256(f"fragments\n{language}\n{group}".encode()).hexdigest()


def _group(cache, generation: int, group: str) -> dict | None:
    """The pieces of `group` known to this request: read from the store at the first use."""
    groups = g.setdefault("fragment_groups", {})
    found = groups.get(group)
    if found is None:
        # A request is served in one language: the store's key is worked out once per group.
        key = _store_key(group, i18n.current_language())
        try:
            stored = cache.pages.get(key, generation)
        except CACHE_ERRORS:
            log.warning("page cache unavailable: fragments rendered without it", exc_info=True)
            g.pop("page_cache_generation", None)
            return None
        found = groups[group] = {"key": key, "pieces": json.loads(stored) if stored else {}, "new": False}
    return found


def fragment(group: str, *key, caller) -> Markup:
    """The piece `caller` renders, from the store when this generation already holds it."""
    cache = current_app.extensions.get("page_cache")
    generation = g.get("page_cache_generation")
    if cache is None or generation is None:
        return caller()
    found = _group(cache, generation, group)
    if found is None:
        return caller()
    name = "\x1f".join(str(part) for part in key)
    html = found["pieces"].get(name)
    if html is not None:
        # What this app's own templates rendered (and escaped) for this generation; the store is
        # as trusted as the page cache, which serves whole pages from it.
        return Markup(html)  # nosec B704
    html = caller()
    token = g.get("csrf_token")
    if token and token in html:
        return html
    found["pieces"][name] = str(html)
    found["new"] = True
    return html


def _store(response):
    groups = g.get("fragment_groups")
    generation = g.get("page_cache_generation")
    if not groups or generation is None:
        return response
    cache = current_app.extensions["page_cache"]
    for found in groups.values():
        if found["new"]:
            try:
                cache.pages.put(found["key"], generation, json.dumps(found["pieces"]).encode())
            except CACHE_ERRORS:
                log.warning("page cache unavailable: fragments not stored", exc_info=True)
                break
    return response


def init_app(app: Flask) -> None:
    """Offer `fragment` to templates; keep the pieces only when the page cache is on."""
    app.jinja_env.globals["fragment"] = fragment
    if app.config["PAGE_CACHE"]:
        app.after_request(_store)
