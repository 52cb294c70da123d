"""What voting adds to the account page: your ballots and receipts.

(On a ward's page, the consultation cards link straight to the ballot and to the results.)"""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from participate.sections import section
from participate.services.ballots import ballots_of_voter


@section("account", order=40)
def account_ballots(**_context):
    """The signed-in voter's ballots, each with its receipt."""
    if not current_user.is_authenticated:
        return None
    rows = ballots_of_voter(current_user)
    return render_template("voting/_account_section.html", rows=rows)
