"""Registering, verifying an address, signing in and out, and resetting a password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import InputRequired, ValidationError

from participate import i18n, login, tokens
from participate.extensions import db, limiter
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
from participate.security import is_safe_next
from participate.services import accounts, two_factor
from participate.web import form_view, next_url, redirect_next

bp = Blueprint("auth", __name__)


def _limit(name: str):
    return lambda: current_app.config[name]


def _email_key() -> str:
    # A second limit per address, so one account is not tried from many places at once.
    return "email:" + accounts.normalise_email(request.form.get("email", ""))[:254]


class RegisterForm(Form):
    email = email_field()
    display_name = display_name_field()
    password = new_password_field()
    postcode = postcode_field()
    ward = ward_field()
    locale = language_field()

    def validate_email(self, field):
        if accounts.email_taken(field.data or ""):
            raise ValidationError(
                _l("An account with this email address already exists. Sign in, or reset your password.")
            )


class SignInForm(Form):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(message=_l("Enter your password"))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device for 30 days"))


class SecondFactorForm(Form):
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[InputRequired(message=_l("Enter the code"))],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"},
    )


class ResetRequestForm(Form):
    email = email_field()


class NewPasswordForm(Form):
    password = new_password_field(_l("New password"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_limit("REGISTER_LIMIT"), methods=["POST"])
@form_view
def register():
    """Create a resident's account."""
    if current_user.is_authenticated:
        return redirect(url_for("account.profile"))
    form = RegisterForm()
    offer_wards(form)
    if request.method == "GET":
        form.locale.data = i18n.current_language()
    if form.validate_on_submit():
        if form.is_bot():
            # Answer as if it worked, so the bot learns nothing.
            return render_template("auth/check_email.html", email=form.email.data)
        try:
            user = accounts.register(
                email=form.email.data,
                display_name=form.display_name.data,
                password=form.password.data,
                postcode=form.postcode.data,
                ward=form.wards_by_id[form.ward.data],
                locale=form.locale.data,
            )
            db.session.commit()
        except IntegrityError:
            # Somebody registered the same address a moment ago.
            db.session.rollback()
            form.email.errors = [
                _("An account with this email address already exists. Sign in, or reset your password.")
            ]
        else:
            login.start_session(user)
            db.session.commit()
            return render_template("auth/check_email.html", email=user.email)
    return render_template("auth/register.html", form=form)


@bp.get("/verify/<token>")
def verify(token: str):
    """Show the button that confirms an address (a GET never changes anything)."""
    problem = _check_link("verify", token, current_app.config["VERIFY_LINK_MAX_AGE"])
    return render_template("auth/verify.html", form=ConfirmForm(), token=token, problem=problem)


@bp.post("/verify/<token>")
@form_view
def verify_confirm(token: str):
    """Mark the address as verified."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("auth/verify.html", form=form, token=token, problem=None), 400
    try:
        user = accounts.verify_email(token, current_app.config["VERIFY_LINK_MAX_AGE"])
    except tokens.LinkError as exc:
        return render_template(
            "auth/verify.html", form=form, token=token, problem=LINK_PROBLEMS[exc.reason]
        ), 400
    db.session.commit()
    flash(_("Thank you: your email address is confirmed."), "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("account.profile"))
    return redirect(url_for("auth.sign_in"))


@bp.post("/verify/resend")
@login_required
def resend_verification():
    """Send the verification mail again."""
    if not current_user.is_email_verified:
        accounts.send_verification(current_user)
        db.session.commit()
    flash(_("We have sent the link again. Check your inbox."), "success")
    return redirect(url_for("account.profile"))


def _check_link(purpose: str, token: str, max_age: int):
    try:
        tokens.read(purpose, token, max_age=max_age)
    except tokens.LinkError as exc:
        return LINK_PROBLEMS[exc.reason]
    return None


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_limit("SIGN_IN_LIMIT"), methods=["POST"])
@limiter.limit(_limit("SIGN_IN_LIMIT"), methods=["POST"], key_func=_email_key)
@form_view
def sign_in():
    """Sign in with email and password; the same answer whether or not the address exists."""
    if current_user.is_authenticated:
        return redirect_next("account.profile")
    form = SignInForm()
    if form.validate_on_submit() and not form.is_bot():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None and user.has_two_factor:
            db.session.commit()  # keep an upgraded password hash
            login.await_second_factor(user, form.remember.data, request.values.get("next"))
            return redirect(url_for("auth.second_factor"))
        if user is not None:
            login.start_session(user, remember=form.remember.data)
            db.session.commit()
            return redirect(next_url("main.home"))
        db.session.rollback()
        login.log_event("sign-in-refused", accounts.find_by_email(form.email.data), method="password")
        form.form_errors.append(_("The email address or password is not right."))
    return render_template(
        "auth/sign_in.html",
        form=form,
        next=request.values.get("next", ""),
        staff_sign_on="sso.start" in current_app.view_functions and current_app.config.get("OIDC_ISSUER"),
    )


@bp.route("/sign-in/two-factor", methods=["GET", "POST"])
@limiter.limit(_limit("SIGN_IN_LIMIT"), methods=["POST"])
@form_view
def second_factor():
    """The second step of signing in: a code from the authenticator app or a recovery code."""
    user, pending = login.pending_second_factor()
    if user is None:
        session.pop("second_factor", None)
        flash(_("Please sign in again."), "info")
        return redirect(url_for("auth.sign_in"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        if two_factor.check(user, form.code.data):
            login.start_session(user, remember=pending["remember"], method=pending["method"])
            db.session.commit()
            target = pending["next"]
            return redirect(target if is_safe_next(target) else url_for("main.home"))
        db.session.rollback()
        login.log_event("second-factor-refused", user, method=pending["method"])
        form.code.errors.append(
            _("The code is not right. Codes change every 30 seconds: try the newest one.")
        )
    return render_template("auth/second_factor.html", form=form)


@bp.post("/sign-out")
def sign_out():
    """Sign out of this browser, and ask it to forget what it kept of the signed-in pages."""
    login.end_session()
    flash(_("You have signed out."), "success")
    response = redirect(url_for("main.home"))
    # The HTTP cache and the offline copy (the service worker's storage) may hold pages that
    # showed this person's name; cookies stay, so the new session and its message survive.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_limit("RESET_LIMIT"), methods=["POST"])
@form_view
def reset_request():
    """Ask for a password reset link; the answer never says whether the address has an account."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        if not form.is_bot():
            accounts.request_password_reset(form.email.data)
            db.session.commit()
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_limit("RESET_LIMIT"), methods=["POST"])
@form_view
def reset(token: str):
    """Choose a new password through a reset link."""
    max_age = current_app.config["RESET_LINK_MAX_AGE"]
    try:
        user = accounts.user_for_reset(token, max_age)
    except tokens.LinkError as exc:
        return render_template("auth/reset.html", form=None, problem=LINK_PROBLEMS[exc.reason]), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        accounts.reset_password(user, form.password.data)
        db.session.commit()
        logout_user()
        flash(_("Your password has been changed. Sign in with your new password."), "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset.html", form=form, problem=None)
