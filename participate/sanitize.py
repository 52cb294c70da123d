"""The one place user text becomes HTML: a small Markdown subset, then bleach with named allow-lists.

Text is stored as written; what pages show is rendered from it here (and may be cached beside it).
"""

from __future__ import annotations

import unicodedata

import bleach
from bleach.linkifier import Linker
from markdown_it import MarkdownIt
from markupsafe import Markup

# What a comment, proposal or announcement may contain after rendering: no images, no raw HTML.
DISCUSSION_TAGS = frozenset(
    {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4"}
)
DISCUSSION_ATTRIBUTES = {"a": ["href", "rel", "title"]}
PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# Characters that reorder text invisibly (used to disguise links and file names).
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))

_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .disable(["image", "html_block", "html_inline", "heading", "lheading", "table"], ignoreInvalid=True)
    .enable(["heading"])
)


def _set_rel(attrs, new=False):
    href = attrs.get((None, "href"), "")
    if not href.lower().startswith(("http:", "https:", "mailto:")):
        # A link bleach kept but that is not web or mail (should not happen): drop it.
        return None
    attrs[(None, "rel")] = LINK_REL
    return attrs


# (bleach's skip_tags would escape entities twice inside code, so links are made everywhere.)
_linker = Linker(callbacks=[_set_rel], parse_email=False)


def clean_text(text: str) -> str:
    """Normalise what a user typed before storing it: NFC, no NUL, no invisible reordering."""
    text = unicodedata.normalize("NFC", text or "").replace("\x00", "")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def render_markdown(text: str) -> Markup:
    """Render user Markdown to safe HTML for discussions (links get rel="nofollow ugc noopener")."""
    source = clean_text(text).translate(BIDI_CONTROLS)
    html = _markdown.render(source)
    # Headings from Markdown are demoted, so user text never outranks the page's own headings.
    for level, to in (("1", "3"), ("2", "3"), ("5", "4"), ("6", "4")):
        html = html.replace(f"<h{level}>", f"<h{to}>").replace(f"</h{level}>", f"</h{to}>")
    cleaned = bleach.clean(
        html, tags=DISCUSSION_TAGS, attributes=DISCUSSION_ATTRIBUTES, protocols=PROTOCOLS, strip=True
    )
    # Safe HTML: the output of bleach.clean, above.
    return Markup(_linker.linkify(cleaned))  # nosec B704


def render_plain(text: str) -> Markup:
    """Escape plain text (names, titles) and keep its line breaks."""
    escaped = bleach.clean(clean_text(text).translate(BIDI_CONTROLS), tags=set(), strip=True)
    # Safe HTML: bleach stripped every tag.
    return Markup(escaped.replace("\n", "<br>\n"))  # nosec B704
