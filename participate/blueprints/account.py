"""A user's own account: profile, details, email address and password."""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import InputRequired, ValidationError

from participate import passwords, tokens
from participate.extensions import db
from participate.forms import (
    LINK_PROBLEMS,
    ConfirmForm,
    Form,
    display_name_field,
    email_field,
    language_field,
    new_password_field,
    offer_wards,
    postcode_field,
    ward_field,
)
from participate.login import log_event
from participate.security import no_store
from participate.services import accounts, privacy
from participate.services import two_factor as totp
from participate.web import form_view

bp = Blueprint("account", __name__, url_prefix="/account")
# Personal pages: never cached, not even for offline reading.
bp.after_request(no_store)


def _current_password_field():
    return PasswordField(
        _l("Current password"),
        validators=[InputRequired(message=_l("Enter your current password"))],
        render_kw={"autocomplete": "current-password"},
    )


def _validate_current_password(form, field):
    if not passwords.check_password(current_user.password_hash, field.data or ""):
        raise ValidationError(_l("Your current password is not right"))


class DetailsForm(Form):
    display_name = display_name_field()
    postcode = postcode_field()
    ward = ward_field()
    locale = language_field()


class EmailForm(Form):
    email = email_field(_l("New email address"))
    current_password = _current_password_field()

    def validate_current_password(self, field):
        _validate_current_password(self, field)

    def validate_email(self, field):
        if accounts.normalise_email(field.data or "") == current_user.email:
            raise ValidationError(_l("This is already your email address"))


class PasswordForm(Form):
    current_password = _current_password_field()
    password = new_password_field(_l("New password"))

    def validate_current_password(self, field):
        _validate_current_password(self, field)


class EraseForm(Form):
    current_password = _current_password_field()

    def validate_current_password(self, field):
        _validate_current_password(self, field)


def _sign_out_elsewhere_field():
    # Ticked unless the person unticks it: a changed factor usually means a device is not trusted.
    return BooleanField(_l("Sign out my other devices"), default=True)


class CodeForm(Form):
    code = StringField(
        _l("6-digit code from the app"),
        validators=[InputRequired(message=_l("Enter the code"))],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
    )
    sign_out_elsewhere = _sign_out_elsewhere_field()


class TwoFactorChangeForm(Form):
    """Turning two-factor off or replacing the recovery codes: the current password again."""

    current_password = _current_password_field()
    sign_out_elsewhere = _sign_out_elsewhere_field()

    def validate_current_password(self, field):
        _validate_current_password(self, field)


def _after_factor_change(form, event: str) -> None:
    """Commit a changed factor; end the other sessions when asked, keeping this one signed in."""
    user = current_user._get_current_object()
    signed_out = bool(form.sign_out_elsewhere.data)
    if signed_out:
        accounts.end_every_session(user)
    db.session.commit()
    if signed_out:
        # The session version changed: sign this browser in again so it stays signed in.
        login_user(user)
        flash(_("Other devices have been signed out."), "success")
    log_event(event, user, other_sessions_ended=signed_out)


@bp.get("/")
@login_required
def profile():
    """What the platform knows about the signed-in user."""
    return render_template("account/profile.html", resend_form=ConfirmForm())


@bp.route("/details", methods=["GET", "POST"])
@login_required
@form_view
def details():
    """Change name, postcode, ward and language."""
    form = DetailsForm(obj=current_user)
    offer_wards(form)
    if form.validate_on_submit():
        accounts.update_profile(
            current_user,
            display_name=form.display_name.data,
            postcode=form.postcode.data,
            ward=form.wards_by_id[form.ward.data],
            locale=form.locale.data,
        )
        db.session.commit()
        flash(_("Your details have been saved."), "success")
        return redirect(url_for("account.profile"))
    if not form.is_submitted():
        form.ward.data = current_user.ward_id
    return render_template("account/details.html", form=form)


@bp.route("/email", methods=["GET", "POST"])
@login_required
@form_view
def change_email():
    """Ask to change the email address; it changes once the new address is confirmed."""
    form = EmailForm()
    if form.validate_on_submit():
        accounts.request_email_change(current_user, form.email.data)
        db.session.commit()
        flash(
            _(
                "We have sent a link to %(email)s. Open it to confirm your new address.",
                email=accounts.normalise_email(form.email.data),
            ),
            "success",
        )
        return redirect(url_for("account.profile"))
    return render_template("account/email.html", form=form)


@bp.get("/email/confirm/<token>")
def confirm_email(token: str):
    """Show the button that confirms a new address."""
    problem = None
    try:
        tokens.read("email-change", token, max_age=current_app.config["VERIFY_LINK_MAX_AGE"])
    except tokens.LinkError as exc:
        problem = LINK_PROBLEMS[exc.reason]
    return render_template("account/confirm_email.html", form=ConfirmForm(), token=token, problem=problem)


@bp.post("/email/confirm/<token>")
@form_view
def confirm_email_post(token: str):
    """Switch to the new address."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("account/confirm_email.html", form=form, token=token, problem=None), 400
    try:
        accounts.confirm_email_change(token, current_app.config["VERIFY_LINK_MAX_AGE"])
    except tokens.LinkError as exc:
        return render_template(
            "account/confirm_email.html", form=form, token=token, problem=LINK_PROBLEMS[exc.reason]
        ), 400
    db.session.commit()
    flash(_("Your email address has been changed."), "success")
    return redirect(url_for("account.profile" if current_user.is_authenticated else "auth.sign_in"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
@form_view
def change_password():
    """Change the password; other sessions are signed out, this one stays."""
    form = PasswordForm()
    if form.validate_on_submit():
        accounts.set_password(current_user, form.password.data)
        db.session.commit()
        # The session version changed: sign this browser in again so it stays signed in.
        login_user(current_user._get_current_object())
        flash(_("Your password has been changed. Other devices have been signed out."), "success")
        return redirect(url_for("account.profile"))
    return render_template("account/password.html", form=form)


@bp.route("/two-factor", methods=["GET", "POST"])
@login_required
@form_view
def two_factor():
    """Set up sign-in with an authenticator app (required for staff), or see its status."""
    if current_user.has_two_factor:
        return render_template(
            "account/two_factor.html",
            form=ConfirmForm(),
            codes_left=totp.recovery_codes_left(current_user),
        )
    secret = session.get("totp_setup") or totp.new_secret()
    session["totp_setup"] = secret
    form = CodeForm()
    if form.validate_on_submit():
        codes = totp.enable(current_user, secret, form.code.data)
        if codes is not None:
            session.pop("totp_setup", None)
            _after_factor_change(form, "two-factor-on")
            return render_template("account/recovery_codes.html", codes=codes)
        form.code.errors.append(
            _("The code is not right. Check the app shows participate, then try the newest code.")
        )
    uri = totp.provisioning_uri(current_user, secret)
    return render_template("account/two_factor_setup.html", form=form, secret=secret, qr=totp.qr_svg(uri))


@bp.route("/two-factor/recovery-codes", methods=["GET", "POST"])
@login_required
@form_view
def new_recovery_codes():
    """Replace the recovery codes (the old ones stop working), after the current password again."""
    if not current_user.has_two_factor:
        return redirect(url_for("account.two_factor"))
    form = TwoFactorChangeForm()
    if form.validate_on_submit():
        codes = totp.replace_recovery_codes(current_user)
        _after_factor_change(form, "recovery-codes-replaced")
        return render_template("account/recovery_codes.html", codes=codes)
    return render_template("account/recovery_codes_new.html", form=form)


@bp.route("/two-factor/off", methods=["GET", "POST"])
@login_required
@form_view
def disable_two_factor():
    """Turn two-factor off after the current password again: residents may; staff must keep it."""
    if not current_user.has_two_factor:
        return redirect(url_for("account.two_factor"))
    if current_user.holds_staff_role:
        flash(_("Council staff and councillors must keep two-factor sign-in on."), "error")
        return redirect(url_for("account.two_factor"))
    form = TwoFactorChangeForm()
    if form.validate_on_submit():
        totp.disable(current_user)
        flash(_("Two-factor sign-in is off."), "success")
        _after_factor_change(form, "two-factor-off")
        return redirect(url_for("account.profile"))
    return render_template("account/two_factor_off.html", form=form)


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """End every session of this account, on every device, this one included."""
    accounts.end_every_session(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have been signed out on every device."), "success")
    return redirect(url_for("auth.sign_in"))


@bp.get("/data")
@login_required
def data():
    """Everything the platform holds about you, on the page and as a file."""
    document = privacy.export(current_user)
    return render_template(
        "account/data.html", text=json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True)
    )


@bp.get("/data.json")
@login_required
def data_json():
    """The same, as a JSON file to keep."""
    body = json.dumps(privacy.export(current_user), indent=2, ensure_ascii=False, sort_keys=True)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="participate-my-data.json"'},
    )


@bp.route("/erase", methods=["GET", "POST"])
@login_required
@form_view
def erase():
    """Erase the account: personal data goes; what you wrote stays, under "former resident"."""
    form = EraseForm()
    if form.validate_on_submit():
        privacy.erase(current_user)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("Your account has been erased."), "success")
        return redirect(url_for("main.home"))
    return render_template("account/erase.html", form=form)
