"""What the voting pages say: each refused ballot's problem, each reason not to vote, each
reason an option is not funded, in the reader's language."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from participate.permissions.voting import NoVote

NO_VOTE = {
    NoVote.NOT_SIGNED_IN: _l(
        "Sign in to vote. Only residents of the wards this consultation covers can vote."
    ),
    NoVote.EMAIL_NOT_VERIFIED: _l(
        "Confirm your email address to vote: open the link we sent you when you registered."
    ),
    NoVote.SUSPENDED: _l("Your account is suspended, so you cannot vote."),
    NoVote.NO_WARD: _l("Add your ward to your account details to vote."),
    NoVote.WARD_NOT_IN_SCOPE: _l(
        "Only residents of the wards this consultation covers can vote, and your ward is not one of them."
    ),
    NoVote.REGISTERED_TOO_LATE: _l(
        "Your account was created after voting opened. This consultation only counts the votes of "
        "residents who had registered by then."
    ),
    NoVote.NOT_OPEN_YET: _l("Voting has not opened yet."),
    NoVote.CLOSED: _l("Voting has closed, so ballots can no longer be cast or changed."),
}

FUNDING_REASONS = {
    "costs_more_than_budget": _l("It costs more than the whole budget."),
    "no_support": _l("Nobody voted for it."),
    "not_enough_budget_left": _l("When its turn came, less money was left than it costs."),
    "supporters_could_not_afford": _l(
        "Its supporters' equal shares of the budget could not pay for it, and the money left at the "
        "end was less than it costs."
    ),
    "no_cost_estimate": _l("It has no cost estimate, so no budget rule can fund it."),
}

STAGES = {
    "equal_shares": _l("funded by equal shares"),
    "completion": _l("funded from the money left over"),
}


def problem_message(problem, titles: dict[int, str]) -> str:
    """One broken rule of a refused ballot, as a sentence that says what to change."""
    code, p = problem.code, problem.params
    option = titles.get(problem.option_id) if isinstance(problem.option_id, int) else None
    if code == "unknown_option":
        return _("Your ballot named an option that is not on this ballot. Choose from the options listed.")
    if code == "duplicate_option":
        return _("%(option)s was answered more than once. Give it one answer.", option=option or "?")
    if code == "not_an_integer":
        return _(
            "Votes for %(option)s must be a whole number, like 2, not “%(value)s”.",
            option=option or "?",
            value=p.get("value", ""),
        )
    if code == "negative_not_allowed":
        return _(
            "Votes for %(option)s cannot be below 0: this consultation only counts votes in favour.",
            option=option or "?",
        )
    if code == "approval_not_zero_or_one":
        return _("Either tick %(option)s or leave it unticked.", option=option or "?")
    if code == "too_many_approvals":
        return ngettext(
            "You can choose up to %(num)d option, but you chose %(given)d. Untick %(over)d.",
            "You can choose up to %(num)d options, but you chose %(given)d. Untick %(over)d.",
            p["max"],
            given=p["given"],
            over=p["given"] - p["max"],
        )
    if code == "over_budget":
        return _(
            "Your votes cost %(spent)d credits, which is %(over)d more than your %(credits)d. "
            "Take some votes away.",
            spent=p["spent"],
            over=p["over_by"],
            credits=p["credits"],
        )
    if code == "empty_ballot":
        return _("Choose at least one option.")
    return _("Something on your ballot is not allowed. Check your answers.")


def credits_left_message(spent: int | str, credits: int | str, over: bool = False) -> str:
    """The credits a ballot uses and leaves (the page's script fills the same sentences in)."""
    if over:
        return _(
            "Credits used: %(spent)s of %(credits)s. That is %(over)s too many: take some votes away.",
            spent=spent,
            credits=credits,
            over=(spent - credits) if isinstance(spent, int) else "{over}",
        )
    return _(
        "Credits used: %(spent)s of %(credits)s. Credits left: %(left)s.",
        spent=spent,
        credits=credits,
        left=(credits - spent) if isinstance(spent, int) else "{left}",
    )


def approvals_message(given: int | str, maximum: int) -> str:
    """How many options are ticked of the most allowed."""
    return _("Options chosen: %(given)s of up to %(max)s.", given=given, max=maximum)


def vote_cost_message(credits: int | str) -> str:
    """What the votes typed for one option cost."""
    return _("Credits for these votes: %(credits)s.", credits=credits)
