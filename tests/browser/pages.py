"""Every page type the browser tests visit: (name, address, who is signed in).

An address is a path, or a function that finds a suitable path in the demo database (its
argument is a SQLAlchemy connection). Features add their page types here as they add pages.
"""

from __future__ import annotations

import sqlalchemy as sa

WARD = "E05014098"  # Brixton Windrush: the demo resident's ward


def _one(sql: str):
    def find(conn):
        return conn.execute(sa.text(sql)).scalar()

    return find


def _path(template: str, *queries):
    def build(conn):
        return template.format(*(q(conn) for q in queries))

    return build


FLAGSHIP = _one(
    "SELECT c.id FROM consultations c JOIN options o ON o.consultation_id = c.id "
    "GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1"
)
BUSIEST_OPTION = _one(
    "SELECT o.id FROM options o JOIN comments m ON m.option_id = o.id "
    "GROUP BY o.id ORDER BY count(*) DESC, o.id LIMIT 1"
)
OPTION_CONSULTATION = _one(
    "SELECT o.consultation_id FROM options o JOIN comments m ON m.option_id = o.id "
    "GROUP BY o.id, o.consultation_id ORDER BY count(*) DESC, o.id LIMIT 1"
)


def _open_vote(method: str):
    return _one(
        "SELECT c.id FROM consultations c JOIN consultation_wards w ON w.consultation_id = c.id "
        f"JOIN wards d ON d.id = w.ward_id WHERE c.phase = 'voting' AND c.method = '{method}' "
        f"AND c.allow_late_registration AND d.code = '{WARD}' ORDER BY c.id LIMIT 1"
    )


BIGGEST_CLOSED = _one(
    "SELECT c.id FROM consultations c JOIN ballots b ON b.consultation_id = c.id WHERE c.phase = 'closed' "
    "GROUP BY c.id ORDER BY count(*) DESC LIMIT 1"
)
A_RECEIPT = _one(
    "SELECT b.receipt FROM ballots b WHERE b.consultation_id = (SELECT c.id FROM consultations c "
    "JOIN ballots x ON x.consultation_id = c.id WHERE c.phase = 'closed' GROUP BY c.id "
    "ORDER BY count(*) DESC LIMIT 1) ORDER BY b.id LIMIT 1"
)
A_PROPOSAL = _one(
    "SELECT p.id FROM outcome_proposals p JOIN wards w ON w.id = p.ward_id "
    f"WHERE w.code = '{WARD}' ORDER BY p.comment_count DESC, p.id LIMIT 1"
)
A_GROUP = _one(
    "SELECT g.id FROM groups g WHERE g.archived_at IS NULL ORDER BY g.member_count DESC, g.id LIMIT 1"
)
AN_EVENT = _one(
    "SELECT e.id FROM events e WHERE e.group_id = (SELECT g.id FROM groups g WHERE g.archived_at IS NULL "
    "ORDER BY g.member_count DESC, g.id LIMIT 1) ORDER BY e.starts_at DESC LIMIT 1"
)
A_RESIDENT = _one("SELECT id FROM users WHERE email LIKE 'resident-%' ORDER BY id LIMIT 1")

PAGE_TYPES = [
    ("home", "/", None),
    ("home-signed-in", "/", "resident"),
    ("sign-in", "/sign-in", None),
    ("register", "/register", None),
    ("reset-password", "/reset", None),
    ("profile", "/account/", "resident"),
    ("account-details", "/account/details", "resident"),
    ("notification-settings", "/account/notifications", "resident"),
    ("your-data", "/account/data", "resident"),
    ("erase-account", "/account/erase", "resident"),
    ("two-factor", "/account/two-factor", "officer"),
    ("new-recovery-codes", "/account/two-factor/recovery-codes", "officer"),
    ("wards", "/wards/", None),
    ("ward", f"/wards/{WARD}", None),
    ("proposal-list", f"/wards/{WARD}/proposals", None),
    ("proposal-search", "/proposals/?q=young", None),
    ("proposal", _path("/proposals/{}", A_PROPOSAL), None),
    ("new-proposal", f"/wards/{WARD}/proposals/new", "resident"),
    ("consultations", "/consultations/", None),
    ("consultation-with-options-and-discussion", _path("/consultations/{}", FLAGSHIP), None),
    ("option", _path("/consultations/{}/options/{}", OPTION_CONSULTATION, BUSIEST_OPTION), None),
    ("new-consultation", "/consultations/new", "officer"),
    ("ballot-approval", _path("/consultations/{}/ballot", _open_vote("approval")), "resident"),
    ("ballot-quadratic", _path("/consultations/{}/ballot", _open_vote("quadratic")), "resident"),
    ("receipt", _path("/consultations/{}/receipt/{}", BIGGEST_CLOSED, A_RECEIPT), None),
    ("receipt-lookup", "/receipts", None),
    ("results", _path("/consultations/{}/results", BIGGEST_CLOSED), None),
    ("bulletin-board", _path("/consultations/{}/bulletin-board", BIGGEST_CLOSED), None),
    ("champions-call", "/champions/", None),
    ("become-a-champion", "/champions/join", "resident"),
    ("groups", "/groups/", None),
    ("group", _path("/groups/{}", A_GROUP), None),
    ("event", _path("/groups/{}/events/{}", A_GROUP, AN_EVENT), None),
    ("support-office", "/support-office/", "officer"),
    ("support-office-champions", "/support-office/champions", "officer"),
    ("moderation-queue", "/moderation/", "councillor"),
    ("moderation-log", f"/wards/{WARD}/moderation-log", None),
    ("admin-people", "/admin/users", "admin"),
    ("admin-person", _path("/admin/users/{}", A_RESIDENT), "admin"),
    ("admin-audit-log", "/admin/audit", "admin"),
    ("not-found", "/no-such-page", None),
    ("forbidden", "/support-office/", "resident"),
    ("accessibility-statement", "/accessibility", None),
    ("privacy-notice", "/privacy", None),
    ("offline", "/offline", None),
    ("commissioning-record", "/commissioning/", None),
    ("commissioning-decision", "/commissioning/1", None),
    ("commissioning-report", "/commissioning/report", None),
    ("commissioning-progress-form", "/commissioning/1/progress", "officer"),
    ("commissioning-checklist", "/commissioning/checklist", "admin"),
]
