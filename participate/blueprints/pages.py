"""Pages about the service itself: accessibility statement, privacy notice, offline page, and what
makes it installable on a phone (web app manifest, service worker)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, send_from_directory, url_for
from flask_babel import gettext as _

bp = Blueprint("pages", __name__)


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement, in the form the regulations ask for."""
    return render_template("pages/accessibility.html")


@bp.get("/privacy")
def privacy():
    """The privacy notice: lawful basis, what is kept, for how long, who sees it."""
    return render_template("pages/privacy.html")


@bp.get("/offline")
def offline():
    """Shown by the service worker when a page is not available offline."""
    return render_template("pages/offline.html")


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest: name, icons, colours."""
    council = current_app.config["COUNCIL_NAME"]
    response = jsonify(
        {
            "name": f"participate – {council}",
            "short_name": "participate",
            "description": _("Decide together what your ward needs"),
            "start_url": url_for("main.home"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#1d5c3a",
            "icons": [
                {
                    "src": url_for("static", filename="icons/icon-192.png"),
                    "sizes": "192x192",
                    "type": "image/png",
                },
                {
                    "src": url_for("static", filename="icons/icon-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                },
                {
                    "src": url_for("static", filename="icons/icon.svg"),
                    "sizes": "any",
                    "type": "image/svg+xml",
                },
            ],
        }
    )
    response.mimetype = "application/manifest+json"
    return response


def _icon(filename: str, sizes: str, kind: str) -> dict:
    return {"src": url_for("static", filename=filename), "sizes": sizes, "type": kind}


@bp.get("/sw.js")
def service_worker():
    """The service worker, served from the root so it may keep any page for offline reading."""
    response = send_from_directory(current_app.static_folder, "js/sw.js", mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response
