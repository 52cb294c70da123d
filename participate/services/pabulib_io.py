"""Participatory budgeting data in and out, in the Pabulib `.pb` format (pabulib.org).

Conventions:
- Money: a Pabulib file's costs and budget are in its currency's main unit (pounds, złoty, euros);
  participate keeps money as whole hundredths of that unit (`*_pence`), so a cost of 1234.5 is
  stored as 123450 and written back as 1234.5. A file with a fraction of a hundredth is refused.
- Votes: approval (and choose-1, a single approval) files are imported as approval consultations;
  cumulative, scoring and ordinal files are refused, since their ballots are neither approval nor
  quadratic ballots. Quadratic consultations are not exported for the same reason.
- Voters need no accounts: each imported ballot has no voter, no ward, and a fresh receipt, so
  the imported vote has a bulletin board like any other. It has no electorate (`eligible` null).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from fractions import Fraction

from sqlalchemy import insert, select

from participate.extensions import db
from participate.models import (
    Ballot,
    BallotEntry,
    Consultation,
    Option,
    Phase,
    PhaseChange,
    ProviderType,
    VotingMethod,
    utcnow,
)
from participate.services.receipts import new_receipt
from participate.services.results import counted_options, on_consultation_closed
from participate.voting import pabulib

IMPORTED_TYPES = ("approval", "choose-1")
BATCH = 5000


class PabulibRefused(Exception):
    """The file (or consultation) cannot be imported (exported): the message says why."""


def _pence(amount: Fraction, what: str) -> int:
    pence = amount * 100
    if pence.denominator != 1:
        raise PabulibRefused(f"{what} is {float(amount)}: participate keeps money in whole hundredths")
    return int(pence)


def money_text(pence: int) -> str:
    """An amount in hundredths written in the file's main unit: 123450 -> "1234.5"."""
    whole, cents = divmod(pence, 100)
    return str(whole) if not cents else f"{whole}.{cents:02d}".rstrip("0")


def _date(text: str | None, default: datetime) -> datetime:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y"):
        try:
            return datetime.strptime((text or "").strip(), fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return default


def _title(meta: dict) -> str:
    parts = [meta.get(k, "").strip() for k in ("country", "unit", "subunit", "instance")]
    title = " – ".join(p for p in parts if p) or meta.get("description", "").strip() or "Pabulib import"
    return title[:160]


def import_file(data: pabulib.PabulibFile, source: str = "", echo: Callable[[str], None] | None = None):
    """Create a closed consultation from a parsed file, store its ballots and compute its result."""
    echo = echo or (lambda _message: None)
    if data.vote_type not in IMPORTED_TYPES:
        raise PabulibRefused(
            f"the file's vote type is {data.vote_type!r}; participate imports approval (and choose-1) "
            "votes only, because its ballots are approval or quadratic ballots"
        )
    now = utcnow()
    closed = _date(data.meta.get("date_end"), now)
    opened = min(_date(data.meta.get("date_begin"), closed), closed)
    lengths = [len(set(v.vote)) for v in data.votes]
    max_length = data.meta.get("max_length", "").strip()
    max_approvals = int(max_length) if max_length.isdigit() and int(max_length) > 0 else None
    if max_approvals is not None and lengths and max(lengths) > max_approvals:
        max_approvals = None  # the file breaks its own limit: keep every ballot, state no limit
    consultation = Consultation(
        title=_title(data.meta),
        outcome_statement=(
            f"Imported from the Pabulib file {source or 'given'}. " + data.meta.get("description", "")
        ).strip(),
        method=VotingMethod.APPROVAL,
        max_approvals=max_approvals,
        phase=Phase.CLOSED,
        options_open_at=opened,
        voting_open_at=opened,
        voting_close_at=closed,
        budget_pence=_pence(data.budget, "the budget"),
    )
    db.session.add(consultation)
    db.session.add(PhaseChange(consultation=consultation, from_phase=None, to_phase=Phase.CLOSED.value))
    for project in data.projects:
        db.session.add(
            Option(
                consultation=consultation,
                title=(project.name or f"Project {project.project_id}")[:160],
                description=project.extra.get("description", ""),
                provider_type=ProviderType.COMMUNITY_LED,
                external_id=project.project_id,
                estimated_cost_pence=_pence(project.cost, f"the cost of project {project.project_id}"),
            )
        )
    db.session.flush()
    by_project = dict(
        db.session.execute(
            select(Option.external_id, Option.id).where(Option.consultation_id == consultation.id)
        ).all()
    )
    _store_ballots(consultation, data, by_project, echo)
    echo(f"Stored {len(data.votes)} ballots for {len(by_project)} projects; computing the result…")
    on_consultation_closed(consultation, echo=echo)
    return consultation


def _store_ballots(consultation, data, by_project: dict[str, int], echo) -> None:
    """Insert the ballots and their entries in batches (a city-wide vote has 100,000s)."""
    votes = data.votes
    for start in range(0, len(votes), BATCH):
        batch = votes[start : start + BATCH]
        receipts = [new_receipt() for _ in batch]
        rows = [
            {"consultation_id": consultation.id, "receipt": r, "cast_at": consultation.voting_close_at}
            for r in receipts
        ]
        db.session.execute(insert(Ballot), rows)
        ids = dict(
            db.session.execute(select(Ballot.receipt, Ballot.id).where(Ballot.receipt.in_(receipts))).all()
        )
        entries = []
        for receipt, vote in zip(receipts, batch, strict=True):
            for project_id in dict.fromkeys(vote.vote):
                if project_id not in by_project:
                    raise PabulibRefused(f"voter {vote.voter_id} voted for unknown project {project_id!r}")
                entries.append({"ballot_id": ids[receipt], "option_id": by_project[project_id], "votes": 1})
        if entries:
            db.session.execute(insert(BallotEntry), entries)
        echo(f"  {min(start + BATCH, len(votes))} of {len(votes)} ballots stored")


def export_file(consultation: Consultation, council: str = "") -> pabulib.PabulibFile:
    """The consultation's projects and ballots as a Pabulib file (voters named by receipt)."""
    if consultation.method != VotingMethod.APPROVAL:
        raise PabulibRefused("only approval consultations can be written as Pabulib files")
    if not consultation.budget_pence:
        raise PabulibRefused("the consultation has no budget; a Pabulib file needs one")
    options = counted_options(consultation)
    name = {o.id: o.external_id or str(o.id) for o in options}
    projects = []
    for option in options:
        if option.estimated_cost_pence is None:
            raise PabulibRefused(f"option {option.id} ({option.title}) has no cost estimate")
        projects.append(
            pabulib.PabulibProject(
                project_id=name[option.id],
                cost=Fraction(option.estimated_cost_pence, 100),
                name=option.title,
            )
        )
    votes = [
        pabulib.PabulibVote(voter_id=receipt, vote=tuple(name[o] for o in chosen))
        for receipt, chosen in _ballots_by_receipt(consultation)
    ]
    meta = {
        "description": consultation.title,
        "country": "United Kingdom",
        "unit": council,
        "instance": str(consultation.id),
        "num_projects": str(len(projects)),
        "num_votes": str(len(votes)),
        "budget": money_text(consultation.budget_pence),
        "vote_type": "approval",
        "rule": "greedy",
        "date_begin": consultation.voting_open_at.date().isoformat(),
        "date_end": consultation.voting_close_at.date().isoformat(),
    }
    if consultation.max_approvals:
        meta["max_length"] = str(consultation.max_approvals)
    return pabulib.PabulibFile(
        meta=meta,
        project_columns=("project_id", "cost", "name"),
        projects=tuple(projects),
        vote_columns=("voter_id", "vote"),
        votes=tuple(votes),
    )


def _ballots_by_receipt(consultation: Consultation):
    rows = db.session.execute(
        select(Ballot.receipt, BallotEntry.option_id)
        .outerjoin(BallotEntry, BallotEntry.ballot_id == Ballot.id)
        .where(Ballot.consultation_id == consultation.id)
        .order_by(Ballot.receipt, BallotEntry.option_id)
        .execution_options(yield_per=10_000)
    )
    current, chosen = None, []
    for receipt, option_id in rows:
        if receipt != current:
            if current is not None:
                yield current, chosen
            current, chosen = receipt, []
        if option_id is not None:
            chosen.append(option_id)
    if current is not None:
        yield current, chosen
