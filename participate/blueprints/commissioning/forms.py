"""The forms of the commissioning record: the decision, its commitments, progress, the checklist."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms import Form as SubForm
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from participate.fields import DateInput
from participate.forms import Form, strip
from participate.models import DeliveryStatus, ProcurementRoute, ProviderKind, SocialValueMeasure
from participate.money import parse_quantity
from participate.services.commissioning import CommitmentDraft, parse_pounds
from participate.services.commissioning_labels import KIND_LABELS, ROUTE_LABELS, STATUS_LABELS, measure_name

MIN_COMMITMENT_ROWS = 3
MAX_COMMITMENT_ROWS = 30


def date_messages(what) -> dict:
    """The GOV.UK date input's messages, for a date named `what` ("the start date")."""
    return {
        "required": _l("Enter %(what)s", what=what),
        "day": _l("%(what)s must include a day", what=what),
        "month": _l("%(what)s must include a month", what=what),
        "year": _l("%(what)s must include a year", what=what),
        "real": _l("%(what)s must be a real date", what=what),
        "year_digits": _l("The year must be 4 numbers, like 2027"),
    }


def _coerce_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def validate_pounds(form, field):
    """Refuse an amount that is not pounds and pence, like 1,234.57."""
    try:
        field.pence = parse_pounds(field.data or "")
    except ValueError as exc:
        raise ValidationError(_l("Enter an amount in pounds and pence, like 1,234.57")) from exc


class MultiCheckboxField(SelectMultipleField):
    """Several answers from a list, as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CommitmentForm(SubForm):
    """One social value commitment: a checklist measure, its target, whether it is enforceable."""

    measure = SelectField(_l("Measure"), coerce=_coerce_int, validate_choice=False)
    target = StringField(_l("Target"), filters=[strip])
    is_enforceable = BooleanField(_l("Enforceable: the contract can be ended if it is not met"))
    note = StringField(
        _l("Note"),
        filters=[strip],
        validators=[Length(max=500, message=_l("The note must be 500 characters or fewer"))],
    )


def read_target(text: str, measure: SocialValueMeasure) -> Decimal:
    """A target or delivery as typed: pounds for money (kept in pence), met-or-not as 1, else a number."""
    if measure.is_qualitative:
        return Decimal(1)
    if measure.is_money:
        return Decimal(parse_pounds(text))
    value = parse_quantity(text)  # "2,5" and "2.5" are both two and a half; "1,500" is 1500
    if value is None or value >= 10**12:
        raise ValueError(text)
    return value.normalize() if value == value.to_integral() else value


class DecisionForm(Form):
    """Record a commissioning decision (see `offer` for the choices that depend on the consultation)."""

    options = MultiCheckboxField(_l("Which options were commissioned?"), coerce=int, validate_choice=True)
    departure_reason = TextAreaField(
        _l("Why does the decision depart from the vote?"),
        description=_l("Shown publicly beside the vote. Say plainly why the council decided otherwise."),
        filters=[strip],
        validators=[Length(max=5000, message=_l("The reason must be 5,000 characters or fewer"))],
        render_kw={"dir": "auto", "rows": 5},
    )
    provider_kind = RadioField(
        _l("What kind of provider?"),
        choices=[SelectChoice(k.value, KIND_LABELS[k]) for k in ProviderKind],
        validators=[InputRequired(message=_l("Choose the kind of provider"))],
    )
    provider_group = SelectField(_l("Which group?"), coerce=_coerce_int, validate_choice=False)
    provider_name = StringField(
        _l("Provider's name"),
        description=_l("As on the contract. For a group on this site you can leave it empty."),
        filters=[strip],
        validators=[Length(max=200, message=_l("The provider's name must be 200 characters or fewer"))],
    )
    provider_is_sme = RadioField(
        _l("Is the provider a small or medium-sized enterprise (SME)?"),
        description=_l(
            "Fewer than 250 staff, and a turnover of at most £44 million or assets of at most £38 million."
        ),
        choices=[
            SelectChoice("yes", _l("Yes")),
            SelectChoice("no", _l("No")),
            SelectChoice("unknown", _l("Not known, or not a business")),
        ],
        default="unknown",
        validators=[InputRequired(message=_l("Say whether the provider is an SME"))],
    )
    procurement_route = RadioField(
        _l("Procurement route"),
        choices=[SelectChoice(r.value, ROUTE_LABELS[r]) for r in ProcurementRoute],
        validators=[InputRequired(message=_l("Choose the procurement route"))],
    )
    value = StringField(
        _l("Contract value"),
        description=_l("In pounds, including pence where there are any, like 1,234.57."),
        filters=[strip],
        validators=[DataRequired(message=_l("Enter the contract value")), validate_pounds],
        render_kw={"inputmode": "decimal", "spellcheck": "false"},
    )
    start_date = DateInput(_l("Start date"), required=True, messages=date_messages(_l("the start date")))
    end_date = DateInput(_l("End date"), required=True, messages=date_messages(_l("the end date")))
    review_date = DateInput(_l("Review date"), required=True, messages=date_messages(_l("the review date")))
    decided_on = DateInput(
        _l("Date of the decision"), required=True, messages=date_messages(_l("the date of the decision"))
    )
    cabinet_member = StringField(
        _l("Cabinet member who decided"),
        description=_l("Their name and portfolio, like “Cllr Ana Lopes, Cabinet Member for Young People”."),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the cabinet member who decided")),
            Length(max=200, message=_l("This must be 200 characters or fewer")),
        ],
    )
    status = RadioField(
        _l("Where is the work now?"),
        choices=[SelectChoice(s.value, STATUS_LABELS[s]) for s in list(DeliveryStatus)[:4]],
        default=DeliveryStatus.PLANNED.value,
        validators=[InputRequired(message=_l("Choose where the work is now"))],
    )
    commitments = FieldList(
        FormField(CommitmentForm), min_entries=MIN_COMMITMENT_ROWS, max_entries=MAX_COMMITMENT_ROWS
    )

    def offer(self, options, groups, measures, choice) -> None:
        """Fill the choices: the consultation's options, the groups, the active checklist."""
        self.vote_choice = choice
        self.options.choices = [SelectChoice(o.id, o.title) for o in options]
        self.groups_by_id = {g.id: g for g in groups}
        self.provider_group.choices = [SelectChoice("", _l("Choose a group"))] + [
            SelectChoice(g.id, g.name) for g in groups
        ]
        self.measures_by_id = {m.id: m for m in measures}
        measure_choices = [SelectChoice("", _l("Choose a measure"))] + [
            SelectChoice(m.id, f"{m.code} – {measure_name(m)}") for m in measures
        ]
        for entry in self.commitments:
            entry.form.measure.choices = measure_choices

    def validate_options(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one option that was commissioned"))

    def validate_departure_reason(self, field):
        from participate.services.commissioning import departs_from

        if self.options.data and departs_from(self.vote_choice, self.options.data) and not field.data:
            raise ValidationError(
                _l("The options chosen differ from what the vote chose: say why, so residents can read it")
            )

    def validate_provider_group(self, field):
        if (
            self.provider_kind.data == ProviderKind.COMMUNITY_GROUP.value
            and field.data not in self.groups_by_id
        ):
            raise ValidationError(_l("Choose the group from the list"))

    def validate_provider_name(self, field):
        if self.provider_kind.data != ProviderKind.COMMUNITY_GROUP.value and not field.data:
            raise ValidationError(_l("Enter the provider's name"))

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date must be the same as or after the start date"))

    def validate_review_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The review date must be the same as or after the start date"))

    def validate_commitments(self, field):
        seen = set()
        for entry in field:
            sub = entry.form
            measure = self.measures_by_id.get(sub.measure.data)
            if sub.measure.data and measure is None:
                sub.measure.errors.append(_l("Choose a measure from the checklist"))
            elif measure is not None and measure.id in seen:
                sub.measure.errors.append(
                    _l("Each measure can be committed to once: change its target instead")
                )
            elif measure is not None:
                seen.add(measure.id)
                try:
                    read_target(sub.target.data, measure)
                except ValueError:
                    sub.target.errors.append(_target_message(measure))
        if any(e.form.errors for e in field):
            raise ValidationError(_l("Check the social value commitments"))

    def commitment_drafts(self) -> list[CommitmentDraft]:
        """The commitments filled in, in order (rows without a measure are left out)."""
        drafts = []
        for entry in self.commitments:
            sub = entry.form
            measure = self.measures_by_id.get(sub.measure.data)
            if measure is not None:
                drafts.append(
                    CommitmentDraft(
                        measure_id=measure.id,
                        target=read_target(sub.target.data, measure),
                        is_enforceable=bool(sub.is_enforceable.data),
                        note=sub.note.data or None,
                    )
                )
        return drafts


def _target_message(measure: SocialValueMeasure):
    if measure.is_money:
        return _l("Enter the target in pounds and pence, like 1,234.57")
    return _l("Enter the target as a number that is 0 or more, with at most 2 decimal places")


class DeliveredForm(SubForm):
    """Social value delivered so far against one commitment."""

    value = StringField(_l("Delivered so far"), filters=[strip])


class ProgressForm(Form):
    """A dated progress update: status, note, and social value delivered so far."""

    update_date = DateInput(
        _l("Date of the update"), required=True, messages=date_messages(_l("the date of the update"))
    )
    status = RadioField(
        _l("Where is the work now?"),
        choices=[SelectChoice(s.value, STATUS_LABELS[s]) for s in DeliveryStatus],
        validators=[InputRequired(message=_l("Choose where the work is now"))],
    )
    note = TextAreaField(
        _l("What happened"),
        description=_l("Residents read this. You can use Markdown: *emphasis*, lists and links."),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Say what happened")),
            Length(max=10_000, message=_l("The note must be 10,000 characters or fewer")),
        ],
        render_kw={"dir": "auto", "rows": 6},
    )
    delivered = FieldList(FormField(DeliveredForm), max_entries=MAX_COMMITMENT_ROWS)

    def bind_commitments(self, commitments) -> None:
        """Name each delivery row after its commitment (rows follow the decision's commitments)."""
        self.commitment_rows = list(commitments)
        while len(self.delivered) < len(self.commitment_rows):
            self.delivered.append_entry()

    def rows(self) -> list:
        """Each delivery row with its commitment."""
        return list(zip(self.delivered, self.commitment_rows, strict=False))

    def validate_delivered(self, field):
        for entry, commitment in zip(field, self.commitment_rows, strict=False):
            text = entry.form.value.data
            if commitment.measure.is_qualitative or not text:
                continue
            try:
                read_target(text, commitment.measure)
            except ValueError:
                entry.form.value.errors.append(_target_message(commitment.measure))
        if any(e.form.errors for e in field):
            raise ValidationError(_l("Check the social value delivered"))

    def delivered_values(self) -> dict[int, Decimal]:
        """Delivery by commitment id, for the rows filled in (met-or-not rows: 1 when ticked "met")."""
        values = {}
        for entry, commitment in zip(self.delivered, self.commitment_rows, strict=False):
            text = entry.form.value.data
            if commitment.measure.is_qualitative:
                if text in ("met", "not_met"):
                    values[commitment.id] = Decimal(1 if text == "met" else 0)
            elif text:
                values[commitment.id] = read_target(text, commitment.measure)
        return values


class MeasureForm(Form):
    """Add an item to the community benefit checklist."""

    code = StringField(
        _l("Code"),
        description=_l("Short and unique, like LOCAL-7. It identifies the measure in the open data."),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter a code")),
            Length(max=20, message=_l("The code must be 20 characters or fewer")),
        ],
        render_kw={"spellcheck": "false"},
    )
    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the measure's name")),
            Length(max=300, message=_l("The name must be 300 characters or fewer")),
        ],
    )
    unit = StringField(
        _l("Unit"),
        description=_l(
            "What targets are counted in: “GBP” for money (kept in pence), “hours”, “tCO2e”, "
            "or “description” for a measure that is met or not."
        ),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the unit")),
            Length(max=40, message=_l("The unit must be 40 characters or fewer")),
        ],
    )
    theme = StringField(
        _l("Theme"),
        filters=[strip],
        validators=[Optional(), Length(max=120, message=_l("The theme must be 120 characters or fewer"))],
    )
