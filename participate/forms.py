"""Fields and validators shared by every form: translated messages, postcode, ward, password."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from participate import passwords
from participate.config import LANGUAGES
from participate.login import log_event
from participate.services import accounts, wards


class Form(FlaskForm):
    """Base form: CSRF on, and a hidden field bots fill in and people never see."""

    # A honeypot: hidden from people with CSS and `hidden`; anything typed here marks a bot.
    website = StringField(_l("Leave this field empty"))

    def is_bot(self) -> bool:
        """Whether the honeypot field was filled in (logged once as a security event)."""
        filled = bool((self.website.data or "").strip())
        if filled and not getattr(self, "_bot_logged", False):
            # What the bot typed is not logged: it may be anything, and it is no one's business.
            log_event("honeypot-refused", current_user, endpoint=request.endpoint)
            self._bot_logged = True
        return filled

    def validate(self, extra_validators=None) -> bool:
        """Validate, with the CSRF failure explained in the visitor's language."""
        ok = super().validate(extra_validators)
        csrf_field = getattr(self, "csrf_token", None)
        if csrf_field is not None and csrf_field.errors:
            csrf_field.errors = [CSRF_MESSAGE]
        return ok


class ConfirmForm(Form):
    """A form with nothing but its CSRF token: a button that confirms a link or an action."""


LINK_PROBLEMS = {
    "expired": _l("This link has expired."),
    "invalid": _l("This link is not valid: it may have been used already, or copied incompletely."),
}

CSRF_MESSAGE = _l(
    "This form had expired or did not come from this site, so nothing was saved. "
    "Check your answers and send it again."
)


def strip(value):
    """Trim surrounding spaces from typed text (a name of spaces is no name)."""
    return value.strip() if isinstance(value, str) else value


def email_field(label=None):
    """An email field with translated messages."""
    return StringField(
        label or _l("Email address"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter your email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false", "type": "email"},
    )


def display_name_field():
    """The name shown beside what a user writes."""
    return StringField(
        _l("Display name"),
        description=_l("Shown next to what you write. You can use a first name or a nickname."),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the name to show next to what you write")),
            Length(max=80, message=_l("Display name must be 80 characters or fewer")),
        ],
        render_kw={"autocomplete": "nickname"},
    )


def validate_postcode(form, field):
    """Refuse anything that is not a UK postcode."""
    if accounts.normalise_postcode(field.data or "") is None:
        raise ValidationError(_l("Enter a real postcode, like SW2 1RW"))


def postcode_field():
    """A UK postcode."""
    return StringField(
        _l("Postcode"),
        filters=[strip],
        validators=[DataRequired(message=_l("Enter your postcode")), validate_postcode],
        render_kw={"autocomplete": "postal-code", "spellcheck": "false"},
    )


def ward_field():
    """The resident's ward, chosen from the council's current wards (see `offer_wards`)."""
    return SelectField(
        _l("Ward"),
        description=_l("The area of the borough you live in. Your council tax bill names it."),
        coerce=_coerce_int,
        validators=[InputRequired(message=_l("Select your ward")), validate_ward],
        validate_choice=False,
    )


def _coerce_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def offer_wards(form, field_name: str = "ward", placeholder: bool = True) -> None:
    """Offer the council's current wards in a select, and remember them for validation."""
    form.wards_by_id = {w.id: w for w in wards.current_wards()}
    field = getattr(form, field_name)
    field.choices = ([SelectChoice("", _l("Select a ward"))] if placeholder else []) + [
        SelectChoice(w.id, w.name) for w in form.wards_by_id.values()
    ]


def validate_ward(form, field):
    """Refuse a ward that is not one of the council's current wards."""
    if field.data not in getattr(form, "wards_by_id", {}):
        raise ValidationError(_l("Select a ward from the list"))


def language_field():
    """The language mail and pages are sent in."""
    return SelectField(
        _l("Language"),
        choices=[
            SelectChoice(code, name, render_kw={"lang": code, "dir": direction})
            for code, (name, direction) in LANGUAGES.items()
        ],
        validators=[InputRequired(message=_l("Select a language"))],
    )


def validate_new_password(form, field):
    """Refuse a new password that is too short or too easy to guess (given the person's details,
    the council's name and its wards: `participate.passwords.context_words`)."""
    hints = [getattr(getattr(form, n, None), "data", None) for n in ("email", "display_name")]
    if current_user.is_authenticated:
        hints += [current_user.email, current_user.display_name]
    problem = passwords.password_problem(field.data or "", [h for h in hints if h])
    if problem == "too_short":
        raise ValidationError(
            _l(
                "Password must be at least %(n)s characters long",
                n=current_app.config["PASSWORD_MIN_LENGTH"],
            )
        )
    if problem == "too_common":
        raise ValidationError(
            _l(
                "This password is too easy to guess: it is a common password or a simple "
                "pattern. Try a few unrelated words."
            )
        )


def new_password_field(label=None):
    """A new password: at least 12 characters, no composition rules, not a common one."""
    return PasswordField(
        label or _l("Password"),
        description=_l(
            "At least 12 characters. A few unrelated words are easy to remember and hard to guess."
        ),
        validators=[InputRequired(message=_l("Enter a password")), validate_new_password],
        render_kw={"autocomplete": "new-password"},
    )
