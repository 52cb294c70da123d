"""Every page type the browser tests visit: (name, address, who is signed in)."""

from __future__ import annotations

# Each entry: name, path, and the demo account to sign in as (None: anonymous).
# Features add their page types here as they add pages.
PAGE_TYPES = [
    ("home", "/", None),
    ("home-signed-in", "/", "resident"),
    ("sign-in", "/sign-in", None),
    ("register", "/register", None),
    ("reset-password", "/reset", None),
    ("profile", "/account/", "resident"),
    ("account-details", "/account/details", "resident"),
    ("two-factor", "/account/two-factor", "officer"),
    ("wards", "/wards/", None),
    ("ward", "/wards/E05014098", None),
    ("not-found", "/no-such-page", None),
    ("accessibility-statement", "/accessibility", None),
    ("privacy-notice", "/privacy", None),
    ("offline", "/offline", None),
    ("commissioning-record", "/commissioning/", None),
    ("commissioning-decision", "/commissioning/1", None),
    ("commissioning-report", "/commissioning/report", None),
    ("commissioning-progress-form", "/commissioning/1/progress", "officer"),
    ("commissioning-checklist", "/commissioning/checklist", "admin"),
]
