"""The forms of the open call, groups, events and proposing options."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from participate.fields import DateInput, TimeInput
from participate.forms import Form, strip, ward_field
from participate.london import NonexistentTime, in_london, to_utc
from participate.models import ProviderType, utcnow
from participate.money import parse_pounds
from participate.services.champions import INTEREST_LABELS

PROVIDER_TYPE_LABELS = {
    ProviderType.COMMUNITY_LED: _l("Community-led"),
    ProviderType.VOLUNTARY_COMMUNITY: _l("Voluntary and community organisation"),
    ProviderType.SOCIAL_ENTERPRISE: _l("Social enterprise"),
    ProviderType.IN_HOUSE: _l("The council itself (in-house)"),
    ProviderType.ARMS_LENGTH: _l("Arm's-length body"),
    ProviderType.PRIVATE: _l("Private company"),
}


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for choosing several answers (GOV.UK checkboxes)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _at_least_one(message):
    def check(form, field):
        if not field.data:
            raise ValidationError(message)

    return check


def interest_choices():
    return [(i.value, label) for i, label in INTEREST_LABELS.items()]


class OpenCallForm(Form):
    ward = ward_field()
    statement = TextAreaField(
        _l("What would you like to do?"),
        description=_l(
            "In your own words: what you would like to start, change or help with, and where. "
            "For example: “Start a seed swap at the library and plant fruit trees on our estate.”"
        ),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Say what you would like to do")),
            Length(max=2000, message=_l("Keep it to 2,000 characters or fewer")),
        ],
    )
    interests = MultiCheckboxField(
        _l("What are you interested in?"),
        description=_l("Select all that apply."),
        choices=interest_choices,
        validators=[_at_least_one(_l("Select at least one interest"))],
    )
    availability = StringField(
        _l("When are you available?"),
        description=_l("For example: weekday evenings and some Saturday mornings."),
        filters=[strip],
        validators=[Length(max=300, message=_l("Keep it to 300 characters or fewer"))],
    )
    is_public = BooleanField(
        _l("List my name publicly as a green community champion"),
        description=_l(
            "Your display name, ward and interests will be shown on this site. "
            "If you leave this unticked, only the council's support office will know you are a champion."
        ),
    )
    may_contact = BooleanField(
        _l("The support office may contact me"),
        description=_l(
            "The council's support office for champions may email you about training, funding and events."
        ),
    )


class GroupForm(Form):
    name = StringField(
        _l("Name of the group"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the name of the group")),
            Length(max=120, message=_l("The name must be 120 characters or fewer")),
        ],
    )
    focus = SelectField(
        _l("What does the group mainly work on?"),
        choices=interest_choices,
        validators=[InputRequired(message=_l("Select what the group works on"))],
    )
    wards = MultiCheckboxField(
        _l("Which wards does the group work in?"),
        description=_l("Select all that apply."),
        coerce=int,
        validators=[_at_least_one(_l("Select at least one ward"))],
    )
    description = TextAreaField(
        _l("What does the group do?"),
        description=_l(
            "What the group does, who can join and how. "
            "You can use simple formatting: *italic*, **bold**, lists and links."
        ),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Say what the group does")),
            Length(max=5000, message=_l("Keep it to 5,000 characters or fewer")),
        ],
    )
    meeting_place = StringField(
        _l("Where does the group meet?"),
        description=_l("For example: Brixton Library, Brixton Oval, every other Saturday."),
        filters=[strip],
        validators=[Length(max=300, message=_l("Keep it to 300 characters or fewer"))],
    )


NAMING_LABEL = _l("Show my name on the group's page")
NAMING_HINT = _l(
    "Other residents will see your display name in the list of members. "
    "If you leave this unticked, you are counted but not named."
)


class JoinGroupForm(Form):
    is_public = BooleanField(NAMING_LABEL, description=NAMING_HINT)


class NamingForm(Form):
    is_public = BooleanField(NAMING_LABEL, description=NAMING_HINT)


class AnnouncementForm(Form):
    body = TextAreaField(
        _l("Announcement"),
        description=_l(
            "Shown on the group's page to everyone. "
            "You can use simple formatting: *italic*, **bold**, lists and links."
        ),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Write the announcement")),
            Length(max=5000, message=_l("Keep it to 5,000 characters or fewer")),
        ],
    )


DATE_MESSAGES = {
    "required": _l("Enter the date of the event"),
    "day": _l("The date of the event must include a day"),
    "month": _l("The date of the event must include a month"),
    "year": _l("The date of the event must include a year"),
    "year_digits": _l("The year must include 4 numbers"),
    "real": _l("The date of the event must be a real date"),
}
END_DATE_MESSAGES = {
    "day": _l("The end date must include a day"),
    "month": _l("The end date must include a month"),
    "year": _l("The end date must include a year"),
    "year_digits": _l("The year must include 4 numbers"),
    "real": _l("The end date must be a real date"),
}
MAX_DURATION = timedelta(days=14)
MAX_AHEAD = timedelta(days=2 * 366)


def _places(form, field):
    text = (field.data or "").replace(",", "").strip()
    if text and not (text.isascii() and text.isdigit() and 1 <= int(text) <= 100000):
        raise ValidationError(_l("Enter the number of places as a whole number, like 30, or leave it empty"))


class EventForm(Form):
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter a title")),
            Length(max=160, message=_l("The title must be 160 characters or fewer")),
        ],
    )
    date = DateInput(_l("Date"), required=True, messages=DATE_MESSAGES)
    starts = TimeInput(
        _l("Start time"),
        required=True,
        messages={
            "required": _l("Enter the start time"),
            "real": _l("The start time must be a real time, like 18:30"),
        },
    )
    ends = TimeInput(
        _l("End time"),
        required=True,
        messages={
            "required": _l("Enter the end time"),
            "real": _l("The end time must be a real time, like 20:00"),
        },
    )
    end_date = DateInput(_l("End date, if the event ends on another day"), messages=END_DATE_MESSAGES)
    place = StringField(
        _l("Place"),
        description=_l("The address or a place people know, like “Max Roach Park, by the café”."),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter where the event takes place")),
            Length(max=300, message=_l("Keep it to 300 characters or fewer")),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        description=_l(
            "What will happen and what to bring. "
            "You can use simple formatting: *italic*, **bold**, lists and links."
        ),
        filters=[strip],
        validators=[Length(max=5000, message=_l("Keep it to 5,000 characters or fewer"))],
    )
    capacity = StringField(
        _l("Number of places"),
        description=_l("Leave empty if there is no limit. When it is full, people join a waiting list."),
        filters=[strip],
        validators=[_places],
        render_kw={"inputmode": "numeric"},
    )

    starts_at = ends_at = None
    # The start the event had before this edit (a past start may stay as it was).
    original_start = None

    def places(self) -> int | None:
        text = (self.capacity.data or "").replace(",", "").strip()
        return int(text) if text else None

    def validate(self, extra_validators=None) -> bool:
        """Check each box, then the times together: real London times, end after start, in range."""
        if not super().validate(extra_validators):
            return False
        try:
            self.starts_at = to_utc(self.date.data, self.starts.data)
        except NonexistentTime:
            self.starts.errors.append(_clock_change_message(self.date.data))
            return False
        end_day = self.end_date.data or self.date.data
        try:
            self.ends_at = to_utc(end_day, self.ends.data)
        except NonexistentTime:
            self.ends.errors.append(_clock_change_message(end_day))
            return False
        return self._check_span()

    def _check_span(self) -> bool:
        now = utcnow()
        if self.ends_at <= self.starts_at:
            self.ends.errors.append(str(_l("The event must end after it starts")))
        elif self.ends_at - self.starts_at > MAX_DURATION:
            self.end_date.errors.append(str(_l("An event can last at most 14 days")))
        if self.starts_at != self.original_start and self.starts_at <= now:
            self.date.errors.append(str(_l("The event must start in the future")))
        elif self.starts_at - now > MAX_AHEAD:
            self.date.errors.append(str(_l("The event must be within the next two years")))
        return not (self.ends.errors or self.end_date.errors or self.date.errors)

    def fill_from(self, event) -> None:
        """Put an event's London times into the boxes (when the page is first shown)."""
        start, end = in_london(event.starts_at), in_london(event.ends_at)
        self.date.process(None, start.date())
        self.starts.process(None, start.time())
        self.ends.process(None, end.time())
        self.end_date.process(None, end.date() if end.date() != start.date() else None)
        self.capacity.data = str(event.capacity) if event.capacity else ""


def _clock_change_message(day) -> str:
    from flask_babel import format_date

    return str(
        _l(
            "This time does not exist in London on %(date)s: the clocks go forward an hour that night. "
            "Choose a time before 1am or from 2am.",
            date=format_date(day, "long"),
        )
    )


MAX_COST_PENCE = 20_000_000 * 100


def _cost(form, field):
    try:
        pence = parse_pounds(field.data)
    except ValueError:
        pence = -1
    if pence is not None and not 0 <= pence <= MAX_COST_PENCE:
        raise ValidationError(_l("Enter the cost in pounds, like 1250 or 1250.50, or leave it empty"))


class OptionForm(Form):
    consultation = SelectField(
        _l("Consultation"),
        coerce=_int_or_none,
        validators=[InputRequired(message=_l("Select the consultation"))],
        validate_choice=False,
    )
    title = StringField(
        _l("Title of the option"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter a title for the option")),
            Length(max=160, message=_l("The title must be 160 characters or fewer")),
        ],
    )
    description = TextAreaField(
        _l("What would the group do?"),
        description=_l(
            "What would be done, by whom, and how it reaches the outcome. "
            "You can use simple formatting: *italic*, **bold**, lists and links."
        ),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Say what the group would do")),
            Length(max=5000, message=_l("Keep it to 5,000 characters or fewer")),
        ],
    )
    provider_type = SelectField(
        _l("Who would deliver it?"),
        choices=lambda: [(p.value, label) for p, label in PROVIDER_TYPE_LABELS.items()],
        default=ProviderType.COMMUNITY_LED.value,
        validators=[InputRequired(message=_l("Select who would deliver it"))],
    )
    cost = StringField(
        _l("Rough cost, in pounds"),
        description=_l("Leave empty if you do not know yet."),
        filters=[strip],
        validators=[_cost],
        render_kw={"inputmode": "decimal"},
    )

    def cost_pence(self) -> int | None:
        try:
            return parse_pounds(self.cost.data)
        except ValueError:
            return None

    def validate_consultation(self, field):
        if field.data not in getattr(self, "consultations_by_id", {}):
            raise ValidationError(_l("Select a consultation from the list"))
