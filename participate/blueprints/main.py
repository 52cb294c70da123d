"""The home page, the language switcher, the health check and the error pages."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from participate import login
from participate.extensions import db
from participate.web import redirect_next

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """The public home page; signed-in residents see what concerns their ward."""
    return render_template("main/home.html")


@bp.post("/language")
def set_language():
    """Remember the chosen language (on the account when signed in) and go back."""
    code = request.form.get("lang", "")
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    return redirect_next()


@bp.get("/healthz")
def healthz():
    """200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


ERROR_TITLES = {
    400: lambda: _("The request could not be understood"),
    403: lambda: _("You cannot do that"),
    404: lambda: _("Page not found"),
    405: lambda: _("That is not allowed here"),
    413: lambda: _("What you sent is too large"),
    429: lambda: _("Too many attempts"),
    500: lambda: _("Sorry, something went wrong"),
    503: lambda: _("Sorry, the service is unavailable"),
}


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    """Answer every HTTP error with a page in the visitor's language."""
    code = error.code or 500
    if code == 403 or isinstance(error, CSRFError):
        # Refusals are security events: a pattern of them is someone trying what they may not.
        event = "csrf-refused" if isinstance(error, CSRFError) else "access-refused"
        login.log_event(event, current_user, endpoint=request.endpoint, request_method=request.method)
    title = ERROR_TITLES.get(code, ERROR_TITLES[500])()
    if request.path.startswith("/api/"):
        return jsonify(error=title, status=code), code
    return render_template("errors/error.html", code=code, title=title, error=error), code


@bp.app_errorhandler(500)
def server_error(error):
    """Answer an unexpected failure without showing its details."""
    db.session.rollback()
    title = ERROR_TITLES[500]()
    if request.path.startswith("/api/"):
        return jsonify(error=title, status=500), 500
    return render_template("errors/error.html", code=500, title=title, error=None), 500
