"""Pages that several features add to (home, ward, account): each feature registers a section.

A section is a function that returns HTML (from `render_template`) or None; pages render their
slot's sections in order. Features stay independent: the page does not import them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from markupsafe import Markup

_SECTIONS: dict[str, list[tuple[int, Callable]]] = defaultdict(list)


def section(slot: str, order: int = 50):
    """Register a function as a section of a page slot (`home`, `ward`, `account`)."""

    def register(fn: Callable) -> Callable:
        entries = _SECTIONS[slot]
        if all(existing is not fn for _o, existing in entries):
            entries.append((order, fn))
            entries.sort(key=lambda e: e[0])
        return fn

    return register


def render(slot: str, **context) -> Markup:
    """Render every section of a slot in order."""
    parts = []
    for _order, fn in _SECTIONS[slot]:
        html = fn(**context)
        if html:
            # Safe HTML: rendered by autoescaping templates.
            parts.append(Markup(html))  # nosec B704
    return Markup("\n").join(parts)
