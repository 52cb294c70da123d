"""What the deliberation pages share: labels, forms, the posting rate limit and refusals.

Proposals, consultations, options, discussion and moderation are separate blueprints (they never
import each other); the pieces they all use live here.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from flask import abort, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from limits import parse_many
from wtforms import Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from participate.extensions import limiter
from participate.forms import Form
from participate.models import ProposalCategory, ProviderType, Stance, VotingMethod
from participate.money import parse_pounds
from participate.services.consultations import PHASE_LABELS
from participate.services.moderation import REASON_LABELS, ROLE_LABELS, TARGET_LABELS, VERB_LABELS

CATEGORY_LABELS = {
    ProposalCategory.YOUNG_PEOPLE: _l("Young people"),
    ProposalCategory.GREEN_SPACES: _l("Parks and green spaces"),
    ProposalCategory.STREETS_AND_TRANSPORT: _l("Streets and transport"),
    ProposalCategory.SAFETY: _l("Community safety"),
    ProposalCategory.HEALTH_AND_CARE: _l("Health and care"),
    ProposalCategory.HOUSING: _l("Housing"),
    ProposalCategory.ENVIRONMENT: _l("Environment and climate"),
    ProposalCategory.CULTURE_AND_SPORT: _l("Culture and sport"),
    ProposalCategory.JOBS_AND_SKILLS: _l("Jobs and skills"),
    ProposalCategory.OTHER: _l("Something else"),
}

STANCE_LABELS = {Stance.FOR: _l("In favour"), Stance.AGAINST: _l("Against"), Stance.NEUTRAL: _l("Neutral")}

PROVIDER_LABELS = {
    ProviderType.IN_HOUSE: _l("In-house"),
    ProviderType.ARMS_LENGTH: _l("Arm's-length body"),
    ProviderType.PRIVATE: _l("Private company"),
    ProviderType.SOCIAL_ENTERPRISE: _l("Social enterprise"),
    ProviderType.VOLUNTARY_COMMUNITY: _l("Voluntary and community organisation"),
    ProviderType.COMMUNITY_LED: _l("Community-led"),
}

PROVIDER_HINTS = {
    ProviderType.IN_HOUSE: _l("The council does it itself, with its own staff."),
    ProviderType.ARMS_LENGTH: _l("A body the council owns but that runs at arm's length."),
    ProviderType.PRIVATE: _l("A business that makes a profit for its owners."),
    ProviderType.SOCIAL_ENTERPRISE: _l("A business that reinvests its profits in its social purpose."),
    ProviderType.VOLUNTARY_COMMUNITY: _l("A charity or community organisation, often with volunteers."),
    ProviderType.COMMUNITY_LED: _l("Residents organise and run it themselves, with the council's support."),
}

METHOD_LABELS = {VotingMethod.APPROVAL: _l("Approval voting"), VotingMethod.QUADRATIC: _l("Quadratic voting")}


def labels_context() -> dict:
    """Labels of the deliberation's enumerations, for every template."""
    return {
        "labels": {
            "category": CATEGORY_LABELS,
            "stance": STANCE_LABELS,
            "provider": PROVIDER_LABELS,
            "provider_hint": PROVIDER_HINTS,
            "phase": PHASE_LABELS,
            "method": METHOD_LABELS,
            "flag_reason": REASON_LABELS,
            "verb": VERB_LABELS,
            "target": TARGET_LABELS,
            "role": ROLE_LABELS,
        }
    }


# Posting ---------------------------------------------------------------------------------------


def posting_allowed(user) -> bool:
    """Count one post against the user's limit (POST_LIMIT); False when they are over it.

    Checked after the form is valid, so a person who is refused keeps what they typed.
    """
    if not current_app.config.get("RATELIMIT_ENABLED"):
        return True
    items = parse_many(current_app.config["POST_LIMIT"])
    keys = (current_app.config.get("RATELIMIT_KEY_PREFIX", ""), "post", str(user.id))
    strategy = limiter.limiter
    if not all(strategy.test(item, *keys) for item in items):
        return False
    for item in items:
        strategy.hit(item, *keys)
    return True


POSTING_TOO_FAST = _l("You are posting faster than we allow. Wait a minute, then send it again.")


def comment_notice(user, thread) -> str | None:
    """Why this visitor sees no comment form (None when they do, or only need to sign in)."""
    from participate.permissions.accounts import is_signed_in
    from participate.permissions.deliberation import can_join_discussion, comment_closed_reason
    from participate.templating import when

    reason = comment_closed_reason(thread)
    if reason or not is_signed_in(user):
        return reason
    if not user.is_email_verified:
        return _("Confirm your email address to take part in the discussion.")
    if user.is_suspended():
        return _(
            "Your account is suspended until %(date)s: you can read, but not take part.",
            date=when(user.suspended_until),
        )
    if not can_join_discussion(user, thread):
        return _("Residents of the area concerned and their councillors take part in this discussion.")
    return None


def forbid_unless(allowed: bool) -> None:
    """Answer 403 unless the permission check passed."""
    if not allowed:
        abort(403)


# Fields ----------------------------------------------------------------------------------------


def single_line(value):
    """Titles are one line: runs of spaces, tabs and line breaks become one space."""
    return re.sub(r"\s+", " ", value).strip() if isinstance(value, str) else value


def text_area(label, *, required, too_long, max_length, description=None):
    """A Markdown text area with a required and a length message."""
    return TextAreaField(
        label,
        description=description,
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[
            DataRequired(message=required),
            Length(max=max_length, message=too_long),
        ],
        render_kw={"rows": 8, "dir": "auto"},
    )


MARKDOWN_HINT = _l("You can use **bold**, *italics*, lists and links. Pictures and HTML are not shown.")


class DateParts(Field):
    """A date typed as day, month and year (the GOV.UK date input); keeps what was typed."""

    PARTS = ("day", "month", "year")

    def __init__(self, label=None, validators=None, required_message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required_message = required_message
        self.raw = dict.fromkeys(self.PARTS, "")
        self.problem = None

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = self.data = data
        if isinstance(data, date):
            self.raw = {"day": str(data.day), "month": str(data.month), "year": str(data.year)}
        if formdata is not None and any(f"{self.name}-{p}" in formdata for p in self.PARTS):
            self.raw = {p: (formdata.get(f"{self.name}-{p}") or "").strip() for p in self.PARTS}
            self.data = self._parse()

    def _parse(self) -> date | None:
        if not any(self.raw.values()):
            self.problem = "missing"
            return None
        if not all(self.raw.values()):
            self.problem = "incomplete"
            return None
        try:
            parsed = date(int(self.raw["year"]), int(self.raw["month"]), int(self.raw["day"]))
        except ValueError:
            self.problem = "invalid"
            return None
        if not 2000 <= parsed.year <= 2100:
            self.problem = "invalid"
            return None
        return parsed

    def pre_validate(self, form):
        if self.problem == "missing" or (self.data is None and self.problem is None):
            raise ValidationError(self.required_message or _l("Enter a date"))
        if self.problem == "incomplete":
            raise ValidationError(_l("A date must include a day, a month and a year"))
        if self.problem == "invalid":
            raise ValidationError(_l("Enter a real date, like 27 3 2027"))


MAX_POUNDS = Decimal("20000000")


class PoundsField(StringField):
    """An amount of money typed in pounds and kept as integer pence in `pence`."""

    pence: int | None = None

    def pre_validate(self, form):
        try:
            self.pence = parse_pounds(self.data or "")
        except ValueError as exc:
            raise ValidationError(_l("Enter an amount in pounds, like 1500 or 1,500.50")) from exc
        if self.pence is not None and self.pence > MAX_POUNDS * 100:
            raise ValidationError(_l("Enter an amount of £20,000,000 or less"))


# Forms -----------------------------------------------------------------------------------------


def _category_choices():
    return [SelectChoice("", _l("Choose a category"))] + [
        SelectChoice(c.value, label) for c, label in CATEGORY_LABELS.items()
    ]


class ProposalForm(Form):
    """An outcome proposal: what should be true in the ward."""

    title = StringField(
        _l("What outcome do you want for your ward?"),
        description=_l("One sentence, like “Young people have somewhere safe to go in the evenings”."),
        filters=[single_line],
        validators=[
            DataRequired(message=_l("Enter the outcome you want")),
            Length(max=160, message=_l("The outcome must be 160 characters or fewer")),
        ],
        render_kw={"dir": "auto"},
    )
    body = text_area(
        _l("Why does it matter, and what would change?"),
        required=_l("Say why the outcome matters"),
        too_long=_l("The explanation must be 10,000 characters or fewer"),
        max_length=10_000,
        description=MARKDOWN_HINT,
    )
    category = SelectField(_l("Category"), choices=_category_choices, validators=[Optional()])

    @property
    def category_value(self) -> ProposalCategory | None:
        return ProposalCategory(self.category.data) if self.category.data else None

    def validate_category(self, field):
        if field.data and field.data not in {c.value for c in ProposalCategory}:
            raise ValidationError(_l("Choose a category from the list"))


class CommentForm(Form):
    """A comment or reply, with the stance it takes."""

    body = text_area(
        _l("Your comment"),
        required=_l("Write your comment"),
        too_long=_l("A comment must be 5,000 characters or fewer"),
        max_length=5_000,
        description=MARKDOWN_HINT,
    )
    stance = RadioField(
        _l("Your stance"),
        choices=[SelectChoice(s.value, label) for s, label in STANCE_LABELS.items()],
        default=Stance.NEUTRAL.value,
        validators=[InputRequired(message=_l("Choose your stance"))],
    )


class FlagForm(Form):
    """A report to the ward's moderators."""

    reason = RadioField(
        _l("What is wrong with it?"),
        choices=[SelectChoice(r.value, label) for r, label in REASON_LABELS.items()],
        validators=[InputRequired(message=_l("Choose what is wrong with it"))],
    )
    note = TextAreaField(
        _l("Anything the moderators should know"),
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[Optional(), Length(max=500, message=_l("The note must be 500 characters or fewer"))],
        render_kw={"rows": 3, "dir": "auto"},
    )


class ReasonForm(Form):
    """A moderator's public reason for an action."""

    reason = TextAreaField(
        _l("Reason (shown to the public)"),
        description=_l("Say which rule it breaks, or why. Do not repeat what it says."),
        filters=[lambda v: single_line(v) if isinstance(v, str) else v],
        validators=[
            DataRequired(message=_l("Give a reason")),
            Length(max=500, message=_l("The reason must be 500 characters or fewer")),
        ],
        render_kw={"rows": 2, "dir": "auto"},
    )
