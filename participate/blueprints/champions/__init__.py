"""Green community champions: the open call, groups, events, their calendars and the support office.

One blueprint, split into modules by sub-feature; each module adds its views to `bp`.
"""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

# cli_group=None: `flask --app participate send-reminders`, like the other commands.
bp = Blueprint("champions", __name__, cli_group=None)

NAV = [
    (30, "champions.open_call", _l("Champions")),
    (35, "champions.groups", _l("Groups")),
]


@bp.app_template_global("interest_label")
@bp.app_template_filter("interest_label")
def _interest_label(value) -> str:
    """The translated name of an interest, for templates."""
    from participate.services.champions import interest_label

    return interest_label(value)


@bp.app_template_global("interest_choices")
def _interest_choices() -> list[tuple[str, str]]:
    """(value, translated label) of every interest, for filters and forms."""
    from participate.services.champions import INTEREST_LABELS

    return [(i.value, str(label)) for i, label in INTEREST_LABELS.items()]


from participate.blueprints.champions import (  # noqa: E402, F401  (each module registers its views)
    commands,
    events,
    feeds,
    groups,
    members,
    open_call,
    sections,
    support_office,
)
