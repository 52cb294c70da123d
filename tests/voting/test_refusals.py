"""Every kind of bad ballot is refused whole, says why, keeps what was typed, and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.voting.conftest import CLAPHAM, option_ids, snapshot


def _cast(client, consultation, data, csrf=True):
    return client.post(
        f"/consultations/{consultation.id}/ballot", {"consultation": consultation.id, **data}, csrf=csrf
    )


@pytest.fixture
def earlier_ballot(client, voter):
    """Cast a first valid ballot, so a refusal must also leave an existing ballot untouched."""

    def cast(consultation, data):
        client.sign_in(voter)
        assert _cast(client, consultation, data).status_code == 302

    return cast


def test_quadratic_ballot_over_budget_is_refused_whole(client, make_consultation, earlier_ballot):
    consultation = make_consultation(method="quadratic", options=3, credits=100)
    a, b, c = option_ids(consultation)
    earlier_ballot(consultation, {f"votes-{a}": "2"})
    before = snapshot()
    response = _cast(client, consultation, {f"votes-{a}": "7", f"votes-{b}": "7", f"votes-{c}": "2"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your votes cost 102 credits, which is 2 more than your 100. Take some votes away." in page
    assert f'name="votes-{a}" value="7"' in page and f'name="votes-{c}" value="2"' in page
    assert snapshot() == before


def test_too_many_approvals_are_refused_whole(client, make_consultation, earlier_ballot):
    consultation = make_consultation(options=4, max_approvals=2)
    ids = option_ids(consultation)
    earlier_ballot(consultation, {"approve": str(ids[0])})
    before = snapshot()
    response = _cast(client, consultation, {"approve": [str(i) for i in ids[:3]]})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "You can choose up to 2 options, but you chose 3. Untick 1." in page
    assert "Choose up to 2 options" in page or "choose up to 2 options" in page
    for option_id in ids[:3]:
        assert f'value="{option_id}" checked' in page
    assert f'value="{ids[3]}" checked' not in page
    assert snapshot() == before


def test_unknown_option_is_refused_whole(client, make_consultation, earlier_ballot):
    consultation = make_consultation(method="quadratic", options=2)
    other = make_consultation(method="quadratic", options=1, title="Another consultation")
    a, b = option_ids(consultation)
    (foreign,) = option_ids(other)
    earlier_ballot(consultation, {f"votes-{a}": "1"})
    before = snapshot()
    response = _cast(client, consultation, {f"votes-{a}": "2", f"votes-{foreign}": "3"})
    assert response.status_code == 400
    assert "Your ballot named an option that is not on this ballot" in response.get_data(as_text=True)
    response = _cast(client, consultation, {f"votes-{a}": "2", "votes-nonsense": "3"})
    assert response.status_code == 400
    assert snapshot() == before


def test_duplicate_option_is_refused_whole(client, make_consultation, earlier_ballot):
    consultation = make_consultation(method="quadratic", options=2, title="Duplicates")
    a, b = option_ids(consultation)
    earlier_ballot(consultation, {f"votes-{a}": "1"})
    before = snapshot()
    response = _cast(client, consultation, {f"votes-{b}": ["2", "3"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Option 2 was answered more than once. Give it one answer." in page
    assert f'href="#votes-{b}"' in page
    approval = make_consultation(options=2, title="Approval duplicates")
    x, y = option_ids(approval)
    response = _cast(client, approval, {"approve": [str(x), str(x)]})
    assert response.status_code == 400
    assert "Option 1 was answered more than once" in response.get_data(as_text=True)
    assert snapshot() == before


def test_negative_votes_where_not_allowed_are_refused_whole(client, make_consultation, earlier_ballot):
    consultation = make_consultation(method="quadratic", options=2, allow_negative=False)
    a, b = option_ids(consultation)
    earlier_ballot(consultation, {f"votes-{a}": "3"})
    before = snapshot()
    response = _cast(client, consultation, {f"votes-{a}": "3", f"votes-{b}": "-2"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Votes for Option 2 cannot be below 0" in page
    assert f'name="votes-{b}" value="-2"' in page and f'id="votes-{b}-error"' in page
    assert snapshot() == before


def test_negative_votes_are_accepted_where_the_consultation_allows_them(client, make_consultation, voter):
    consultation = make_consultation(method="quadratic", options=2, allow_negative=True)
    a, b = option_ids(consultation)
    client.sign_in(voter)
    assert _cast(client, consultation, {f"votes-{a}": "3", f"votes-{b}": "-2"}).status_code == 302


def test_votes_that_are_not_whole_numbers_are_refused_with_every_problem_listed(
    client, make_consultation, earlier_ballot
):
    consultation = make_consultation(method="quadratic", options=3)
    a, b, c = option_ids(consultation)
    earlier_ballot(consultation, {f"votes-{a}": "1"})
    before = snapshot()
    response = _cast(client, consultation, {f"votes-{a}": "2.5", f"votes-{b}": "abc", f"votes-{c}": "-1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Votes for Option 1 must be a whole number, like 2, not “2.5”." in page
    assert "Votes for Option 2 must be a whole number, like 2, not “abc”." in page
    assert "Votes for Option 3 cannot be below 0" in page
    assert snapshot() == before


@pytest.mark.parametrize("phase", ["options", "closed"])
def test_ballots_outside_the_voting_phase_are_refused(client, make_consultation, voter, phase):
    consultation = make_consultation(phase=phase)
    a, *_ = option_ids(consultation)
    client.sign_in(voter)
    before = snapshot()
    response = _cast(client, consultation, {"approve": str(a)})
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    expected = "Voting has not opened yet." if phase == "options" else "Voting has closed"
    assert expected in page and "Your ballot has not been saved." in page
    assert snapshot() == before


def test_ballot_after_the_closing_time_is_refused_even_before_the_phase_moves(
    client, make_consultation, voter
):
    from participate.models import utcnow

    consultation = make_consultation(voting_close_at=utcnow() - timedelta(minutes=1))
    a, *_ = option_ids(consultation)
    client.sign_in(voter)
    before = snapshot()
    response = _cast(client, consultation, {"approve": str(a)})
    assert response.status_code == 403 and "Voting has closed" in response.get_data(as_text=True)
    assert snapshot() == before


@pytest.mark.parametrize(
    "who, message",
    [
        ("anonymous", "Sign in to vote."),
        ("unverified", "Confirm your email address to vote"),
        ("suspended", "Your account is suspended"),
        ("other_ward", "your ward is not one of them"),
        ("late", "Your account was created after voting opened"),
    ],
)
def test_ineligible_voters_are_refused(client, make_consultation, make_voter, who, message):
    from participate.models import utcnow

    consultation = make_consultation()
    a, *_ = option_ids(consultation)
    attrs = {
        "unverified": {"verified": False},
        "suspended": {"suspended_until": utcnow() + timedelta(days=3)},
        "other_ward": {"ward": CLAPHAM},
        "late": {"created_at": utcnow() - timedelta(hours=1)},
    }
    if who != "anonymous":
        client.sign_in(make_voter(**attrs[who]))
    else:
        client.get(f"/consultations/{consultation.id}/ballot")
    before = snapshot()
    response = _cast(client, consultation, {"approve": str(a)})
    assert response.status_code == 403
    assert message in response.get_data(as_text=True)
    assert snapshot() == before
    page = client.get(f"/consultations/{consultation.id}/ballot").get_data(as_text=True)
    assert message in page and 'id="ballot-form"' not in page


def test_late_registration_may_vote_where_the_consultation_allows_it(client, make_consultation, make_voter):
    from participate.models import utcnow

    consultation = make_consultation(allow_late_registration=True)
    a, *_ = option_ids(consultation)
    client.sign_in(make_voter(created_at=utcnow() - timedelta(hours=1)))
    assert _cast(client, consultation, {"approve": str(a)}).status_code == 302


@pytest.mark.parametrize("token", ["wrong", "missing"])
def test_ballot_with_a_wrong_or_missing_csrf_token_is_refused_and_kept(
    client, make_consultation, earlier_ballot, token
):
    consultation = make_consultation(method="quadratic", options=2)
    a, b = option_ids(consultation)
    earlier_ballot(consultation, {f"votes-{a}": "1"})
    before = snapshot()
    data = {"consultation": consultation.id, f"votes-{a}": "4", f"votes-{b}": "5"}
    if token == "wrong":
        data["csrf_token"] = "not-the-token"
    response = client.post(f"/consultations/{consultation.id}/ballot", data, csrf=False)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This form had expired or did not come from this site, so nothing was saved." in page
    assert f'name="votes-{a}" value="4"' in page and f'name="votes-{b}" value="5"' in page
    assert snapshot() == before


def test_ballot_with_a_tampered_consultation_id_is_refused(client, make_consultation, earlier_ballot):
    consultation = make_consultation(options=2)
    other = make_consultation(options=2, title="Another consultation in the same ward")
    a, b = option_ids(consultation)
    earlier_ballot(consultation, {"approve": str(a)})
    before = snapshot()
    response = client.post(
        f"/consultations/{consultation.id}/ballot", {"consultation": other.id, "approve": str(b)}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This ballot was sent for a different consultation, so nothing was saved." in page
    assert f'value="{b}" checked' in page
    # The other consultation's options sent to this consultation's address are unknown here.
    x, y = option_ids(other)
    response = client.post(
        f"/consultations/{consultation.id}/ballot", {"consultation": consultation.id, "approve": str(x)}
    )
    assert response.status_code == 400 and "not on this ballot" in response.get_data(as_text=True)
    assert client.post("/consultations/999999/ballot", {"consultation": 999999}).status_code == 404
    assert snapshot() == before


def test_a_get_of_the_ballot_page_changes_nothing(client, make_consultation, voter):
    consultation = make_consultation()
    a, *_ = option_ids(consultation)
    client.sign_in(voter)
    before = snapshot()
    client.get(f"/consultations/{consultation.id}/ballot?approve={a}&consultation={consultation.id}")
    assert snapshot() == before


def test_refused_ballot_messages_are_marked_for_translation():
    """Every reason to refuse a ballot is extracted into the catalogue translators work from."""
    from babel.messages.extract import extract_from_file

    from participate import PROJECT_ROOT

    path = PROJECT_ROOT / "participate" / "blueprints" / "voting" / "messages.py"
    keywords = {"_": None, "_l": None, "ngettext": (1, 2)}
    found = set()
    for message in extract_from_file("python", str(path), keywords=keywords):
        text = message[1]
        found.update([text] if isinstance(text, str) else text)
    for text in [
        "Your votes cost %(spent)d credits, which is %(over)d more than your %(credits)d. "
        "Take some votes away.",
        "You can choose up to %(num)d option, but you chose %(given)d. Untick %(over)d.",
        "Your ballot named an option that is not on this ballot. Choose from the options listed.",
        "%(option)s was answered more than once. Give it one answer.",
        "Votes for %(option)s cannot be below 0: this consultation only counts votes in favour.",
        "Voting has not opened yet.",
        "Sign in to vote. Only residents of the wards this consultation covers can vote.",
    ]:
        assert text in found
