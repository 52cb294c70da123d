"""The forms of consultations and options: scope, phase dates, voting settings, appraisal."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from participate.deliberation_web import (
    MARKDOWN_HINT,
    PROVIDER_LABELS,
    DateParts,
    PoundsField,
    single_line,
    text_area,
)
from participate.forms import Form
from participate.models import ProviderType, VotingMethod
from participate.services.consultations import Settings

LONDON = ZoneInfo("Europe/London")


def start_of(day: date) -> datetime:
    """Midnight at the start of a day in London, as UTC."""
    return datetime.combine(day, time(0, 0), tzinfo=LONDON).astimezone(UTC)


def end_of(day: date) -> datetime:
    """One minute to midnight at the end of a day in London, as UTC."""
    return datetime.combine(day, time(23, 59), tzinfo=LONDON).astimezone(UTC)


def london_day(moment: datetime) -> date:
    """The date in London of a UTC moment."""
    return moment.astimezone(LONDON).date()


class ConsultationForm(Form):
    """Open or change a consultation: the outcome, its scope, its phase dates and how people vote."""

    title = StringField(
        _l("Title"),
        description=_l("Short and plain, like “Somewhere safe for young people in Brixton”."),
        filters=[single_line],
        validators=[
            DataRequired(message=_l("Enter a title")),
            Length(max=160, message=_l("The title must be 160 characters or fewer")),
        ],
        render_kw={"dir": "auto"},
    )
    outcome_statement = text_area(
        _l("The outcome"),
        required=_l("Describe the outcome the consultation is about"),
        too_long=_l("The outcome must be 10,000 characters or fewer"),
        max_length=10_000,
        description=MARKDOWN_HINT,
    )
    proposal_id = HiddenField()
    scope = RadioField(
        _l("Who is it for?"),
        choices=[
            SelectChoice("wards", _l("Residents of one or more wards")),
            SelectChoice("borough", _l("The whole borough")),
        ],
        default="wards",
        validators=[InputRequired(message=_l("Choose who the consultation is for"))],
    )
    wards = SelectMultipleField(_l("Wards"), coerce=int, validate_choice=False)
    options_open = DateParts(_l("Options open on"), required_message=_l("Enter the date options open"))
    voting_open = DateParts(_l("Voting opens on"), required_message=_l("Enter the date voting opens"))
    voting_close = DateParts(
        _l("Voting closes at the end of"), required_message=_l("Enter the date voting closes")
    )
    method = RadioField(
        _l("How do residents vote?"),
        choices=[
            SelectChoice(VotingMethod.APPROVAL.value, _l("Approval voting: approve any number of options")),
            SelectChoice(
                VotingMethod.QUADRATIC.value,
                _l("Quadratic voting: spread voice credits; n votes on one option cost n² credits"),
            ),
        ],
        default=VotingMethod.APPROVAL.value,
        validators=[InputRequired(message=_l("Choose how residents vote"))],
    )
    max_approvals = IntegerField(
        _l("Most options one voter may approve"),
        description=_l("Approval voting only. Leave empty for no limit."),
        validators=[Optional(), NumberRange(min=1, max=1000, message=_l("Enter a number from 1 to 1,000"))],
        render_kw={"inputmode": "numeric"},
    )
    credits = IntegerField(
        _l("Voice credits per voter"),
        description=_l("Quadratic voting only."),
        default=100,
        validators=[
            InputRequired(message=_l("Enter the number of voice credits")),
            NumberRange(min=1, max=10_000, message=_l("Enter a number from 1 to 10,000")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    allow_negative = BooleanField(_l("Voters may also vote against options (quadratic voting only)"))
    budget = PoundsField(
        _l("Budget in pounds"),
        description=_l("Optional. With a budget, the result funds the most popular options that fit it."),
        render_kw={"inputmode": "decimal", "spellcheck": "false"},
    )

    def offer_wards(self, wards) -> None:
        """The wards that may be chosen (all current wards, or a councillor's own)."""
        self.wards_by_id = {w.id: w for w in wards}
        self.wards.choices = [SelectChoice(w.id, w.name) for w in wards]

    def validate_wards(self, field):
        if self.scope.data == "wards" and not field.data:
            raise ValidationError(_l("Choose at least one ward"))
        if any(ward_id not in self.wards_by_id for ward_id in field.data or []):
            raise ValidationError(_l("Choose wards from the list"))

    def validate_budget(self, field):
        if field.pence is not None and field.pence <= 0:
            raise ValidationError(_l("Enter a budget of more than £0, or leave it empty"))

    def check_dates(self, now: datetime) -> bool:
        """The phase dates follow one another and voting has not already ended."""
        ok = True
        opens, votes, closes = self.options_open.data, self.voting_open.data, self.voting_close.data
        if opens and votes and votes <= opens:
            self.voting_open.errors.append(_l("Voting must open after the day options open"))
            ok = False
        if votes and closes and closes < votes:
            self.voting_close.errors.append(_l("Voting must close on or after the day it opens"))
            ok = False
        if closes and end_of(closes) <= now:
            self.voting_close.errors.append(_l("Voting must close in the future"))
            ok = False
        return ok

    def settings(self) -> Settings:
        """What was chosen, as the consultation service takes it."""
        borough = self.scope.data == "borough"
        return Settings(
            title=self.title.data,
            outcome_statement=self.outcome_statement.data,
            wards=[] if borough else [self.wards_by_id[i] for i in self.wards.data],
            is_borough_wide=borough,
            options_open_at=start_of(self.options_open.data),
            voting_open_at=start_of(self.voting_open.data),
            voting_close_at=end_of(self.voting_close.data),
            method=VotingMethod(self.method.data),
            max_approvals=self.max_approvals.data,
            credits=self.credits.data or 100,
            allow_negative=bool(self.allow_negative.data),
            budget_pence=self.budget.pence,
        )


class OptionForm(Form):
    """An option: what would be done, by what kind of provider, for roughly how much, with what
    social value."""

    title = StringField(
        _l("What would be done?"),
        description=_l("A short name, like “Youth club at the Brixton Rec on weekday evenings”."),
        filters=[single_line],
        validators=[
            DataRequired(message=_l("Say what would be done")),
            Length(max=160, message=_l("The name must be 160 characters or fewer")),
        ],
        render_kw={"dir": "auto"},
    )
    description = text_area(
        _l("Describe the option"),
        required=_l("Describe the option"),
        too_long=_l("The description must be 10,000 characters or fewer"),
        max_length=10_000,
        description=MARKDOWN_HINT,
    )
    provider_type = RadioField(
        _l("Who would deliver it?"),
        choices=[SelectChoice(p.value, label) for p, label in PROVIDER_LABELS.items()],
        validators=[InputRequired(message=_l("Choose who would deliver it"))],
    )
    estimated_cost = PoundsField(
        _l("Estimated cost in pounds"),
        description=_l("A rough figure is fine, like 12,000. Leave it empty if you do not know."),
        render_kw={"inputmode": "decimal", "spellcheck": "false"},
    )
    social_values = SelectMultipleField(_l("Social value"), coerce=int, validate_choice=False)
    group = SelectField(_l("Put forward on behalf of"), coerce=str, validate_choice=False)

    def offer(self, measures, groups) -> None:
        """The checklist items and the groups (that the proposer organises) to choose from."""
        self.measures_by_id = {m.id: m for m in measures}
        self.social_values.choices = [SelectChoice(m.id, m.name) for m in measures]
        self.groups_by_id = {str(g.id): g for g in groups}
        self.group.choices = [SelectChoice("", _l("Only myself"))] + [
            SelectChoice(str(g.id), g.name) for g in groups
        ]

    def validate_social_values(self, field):
        if any(i not in self.measures_by_id for i in field.data or []):
            raise ValidationError(_l("Choose social value items from the checklist"))

    def validate_group(self, field):
        if field.data and field.data not in self.groups_by_id:
            raise ValidationError(_l("Choose one of your groups"))

    @property
    def provider(self) -> ProviderType:
        return ProviderType(self.provider_type.data)


class MergeForm(Form):
    """Merge a duplicate into the option that stays."""

    survivor = SelectField(_l("Merge it into"), coerce=int, validate_choice=False)

    def offer(self, options) -> None:
        self.options_by_id = {o.id: o for o in options}
        self.survivor.choices = [SelectChoice(o.id, o.title) for o in options]

    def validate_survivor(self, field):
        if field.data not in self.options_by_id:
            raise ValidationError(_l("Choose the option that stays"))


class IneligibleForm(Form):
    """Take an option off the ballot, with a public reason."""

    reason = text_area(
        _l("Why is it ineligible? (shown to the public)"),
        required=_l("Say why the option is ineligible"),
        too_long=_l("The reason must be 2,000 characters or fewer"),
        max_length=2_000,
    )
