"""Demo step: what the council commissioned after the demo's closed votes, and how it is going.

Every closed consultation without a decision gets one: the options the vote chose (one decision
departs from the vote, with its reason), a provider of the kind its options proposed (a community
group on the site where one fits), social value commitments with targets, and progress updates.
A few small ward votes from the last two years are added first, so ward pages and the borough
report have more than the borough-wide votes to show.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import insert, select

from participate.demo import DEMO_DOMAIN
from participate.extensions import db
from participate.models import (
    Ballot,
    BallotEntry,
    Consultation,
    DeliveryStatus,
    Group,
    Option,
    Participation,
    Phase,
    PhaseChange,
    ProcurementRoute,
    ProviderKind,
    ProviderType,
    SocialValueMeasure,
    User,
    VotingMethod,
    Ward,
    utcnow,
)
from participate.services import commissioning
from participate.services.commissioning import CommitmentDraft, DecisionDraft, ProgressDraft
from participate.services.receipts import new_receipt
from participate.services.results import on_consultation_closed
from participate.services.social_value import load_checklist

ORDER = 80
P = ProviderType

# Small ward votes, closed some months ago: (title, outcome, ward code, days ago, options).
WARD_VOTES = [
    (
        "A community garden on the Larkhall estate",
        "Residents of the estate grow food together on land that is now unused.",
        "E05014111",
        300,
        [("Raised beds and a tool shed, run by residents", P.COMMUNITY_LED, 18_500, 0.7),
         ("A market garden run by a social enterprise", P.SOCIAL_ENTERPRISE, 32_000, 0.45),
         ("Council-maintained planting", P.IN_HOUSE, 12_000, 0.3)],
    ),
    (
        "Warm and dry homes in Streatham St Leonard's",
        "Older residents keep warm at home in winter without bills they cannot pay.",
        "E05014115",
        240,
        [("Home energy advice visits by trained neighbours", P.VOLUNTARY_COMMUNITY, 27_000, 0.65),
         ("Draught-proofing by a local installer", P.PRIVATE, 64_000, 0.5),
         ("A warm space in the library three days a week", P.IN_HOUSE, 15_500, 0.35)],
    ),
    (
        "Cleaner air around schools in Stockwell East",
        "Children breathe cleaner air on their way to school and in the playground.",
        "E05014110",
        200,
        [("Green screens of ivy along the playgrounds", P.COMMUNITY_LED, 22_000, 0.6),
         ("Air-quality monitors with pupils as citizen scientists", P.SOCIAL_ENTERPRISE, 9_800, 0.55),
         ("Anti-idling patrols at pick-up time", P.ARMS_LENGTH, 31_000, 0.3)],
    ),
    (
        "Somewhere to repair, share and swap in Herne Hill",
        "Residents mend and share things instead of throwing them away.",
        "E05014104",
        120,
        [("A monthly repair café in the community hall", P.VOLUNTARY_COMMUNITY, 8_400, 0.7),
         ("A library of things in an empty shop", P.SOCIAL_ENTERPRISE, 41_000, 0.5),
         ("Bulky waste collection days", P.IN_HOUSE, 19_000, 0.25)],
    ),
]  # fmt: skip

PROVIDERS = {
    ProviderKind.IN_HOUSE: ("Lambeth Council Neighbourhoods team", None),
    ProviderKind.ARMS_LENGTH: ("Lambeth Leisure and Learning Ltd", False),
    ProviderKind.PRIVATE: ("Effra Building Services Ltd", True),
    ProviderKind.SOCIAL_ENTERPRISE: ("Windrush Works CIC", True),
    ProviderKind.VOLUNTARY_COMMUNITY: ("South London Neighbours Trust", True),
    ProviderKind.COMMUNITY_LED: ("Residents' steering group, supported by the council", None),
}
ROUTES = {
    ProviderKind.IN_HOUSE: ProcurementRoute.DIRECT_AWARD,
    ProviderKind.ARMS_LENGTH: ProcurementRoute.DIRECT_AWARD,
    ProviderKind.PRIVATE: ProcurementRoute.OPEN_TENDER,
    ProviderKind.SOCIAL_ENTERPRISE: ProcurementRoute.QUOTATION,
    ProviderKind.VOLUNTARY_COMMUNITY: ProcurementRoute.GRANT,
    ProviderKind.COMMUNITY_LED: ProcurementRoute.GRANT,
    ProviderKind.COMMUNITY_GROUP: ProcurementRoute.GRANT,
}
# (measure code, target: pounds for money, else the unit's number; enforceable)
COMMITMENTS = [
    [("LBH-3", "100", True), ("NT18", "12500", False), ("NT29", "240", False)],
    [("NT10", "52", True), ("LBH-4", "8000", False)],
    [("NT31", "12.5", True), ("NT29", "120", False), ("LBH-1", "1", False)],
    [("NT1", "3", True), ("NT14", "20000", True)],
]
CABINET = [
    "Cllr Ana Lopes, Cabinet Member for Young People and Communities",
    "Cllr David Mensah, Cabinet Member for Sustainable Lambeth and Clean Air",
    "Cllr Grace Okafor, Cabinet Member for Finance and Procurement",
]
# The decision that departs from the vote, and why.
DEPARTS = "Somewhere to repair, share and swap in Herne Hill"
DEPARTURE = (
    "The repair café residents chose first already runs every month on volunteers' time, with a "
    "small grant from the ward fund that continues. The council commissioned the library of things, "
    "which residents ranked second, because it needs an empty shop whose lease only the council can "
    "offer. Both will be reviewed together with residents next year."
)
NOTES = {
    DeliveryStatus.AWARDED: "The contract is signed. The provider met residents who voted to plan the "
    "first months.",
    DeliveryStatus.DELIVERING: "Work has started. Residents can see the first results, and the provider "
    "reports **monthly** to the ward councillors.",
    DeliveryStatus.UNDER_REVIEW: "The review with residents is under way: what worked, what did not, and "
    "whether to carry on.",
    DeliveryStatus.COMPLETED: "The work is complete and was reviewed with residents at a public meeting.",
}


def _ward_vote(rng, spec, wards: dict[str, Ward], voters: dict[int, list[int]], now) -> None:
    """One small closed ward vote with approval ballots from the ward's demo voters."""
    title, outcome, code, days_ago, options = spec
    ward = wards.get(code)
    if ward is None or db.session.scalar(select(Consultation.id).where(Consultation.title == title)):
        return
    closes = now - timedelta(days=days_ago)
    consultation = Consultation(
        title=title,
        outcome_statement=outcome,
        method=VotingMethod.APPROVAL,
        phase=Phase.CLOSED,
        wards=[ward],
        options_open_at=closes - timedelta(days=50),
        voting_open_at=closes - timedelta(days=21),
        voting_close_at=closes,
    )
    db.session.add(consultation)
    for before, after in ((None, Phase.OPTIONS), (Phase.OPTIONS, Phase.VOTING), (Phase.VOTING, Phase.CLOSED)):
        db.session.add(PhaseChange(consultation=consultation, from_phase=before, to_phase=after.value))
    made = [
        Option(
            consultation=consultation,
            title=text,
            description=f"{text}. Costed by the council's commissioning team.",
            provider_type=kind,
            estimated_cost_pence=pounds * 100,
        )
        for text, kind, pounds, _p in options
    ]
    db.session.add_all(made)
    db.session.flush()
    _cast(rng, consultation, made, options, voters.get(ward.id, []), closes)
    on_consultation_closed(consultation)


def _cast(rng, consultation, made: list[Option], options, voters: list[int], closes) -> None:
    """Approval ballots from the ward's demo voters, inserted in bulk."""
    ward = consultation.wards[0]
    ballots, entries, taking_part = [], [], []
    for user_id in voters[: rng.randint(60, 140)]:
        receipt = new_receipt()
        cast = closes - timedelta(hours=rng.randint(1, 400))
        ballots.append(
            {"consultation_id": consultation.id, "voter_id": user_id, "ward_id": ward.id, "receipt": receipt,
             "cast_at": cast}
        )  # fmt: skip
        taking_part.append({"consultation_id": consultation.id, "user_id": user_id, "created_at": closes})
        entries.append(
            (receipt, [o.id for o, spec in zip(made, options, strict=True) if rng.random() < spec[3]])
        )
    db.session.execute(insert(Ballot), ballots)
    db.session.execute(insert(Participation), taking_part)
    ids = dict(
        db.session.execute(
            select(Ballot.receipt, Ballot.id).where(Ballot.consultation_id == consultation.id)
        ).all()
    )
    rows = [{"ballot_id": ids[r], "option_id": o, "votes": 1} for r, chosen in entries for o in chosen]
    if rows:
        db.session.execute(insert(BallotEntry), rows)


def _voters() -> dict[int, list[int]]:
    """The voting step's demo residents, by ward id."""
    by_ward: dict[int, list[int]] = {}
    for user_id, ward_id in db.session.execute(
        select(User.id, User.ward_id).where(User.email.like(f"voter-%@{DEMO_DOMAIN}")).order_by(User.id)
    ):
        by_ward.setdefault(ward_id, []).append(user_id)
    return by_ward


def _provider(
    options: list[Option], groups: list[Group], rng
) -> tuple[ProviderKind, str, int | None, bool | None]:
    kind = ProviderKind(options[0].provider_type.value)
    if kind == ProviderKind.COMMUNITY_LED and groups:
        group = rng.choice(groups)
        return ProviderKind.COMMUNITY_GROUP, group.name, group.id, None
    name, sme = PROVIDERS[kind]
    return kind, name, None, sme


def _draft(
    rng, n: int, consultation, chosen: list[Option], departs: bool, measures, groups, now
) -> DecisionDraft:
    kind, name, group_id, sme = _provider(chosen, groups, rng)
    decided = (consultation.voting_close_at + timedelta(days=rng.randint(20, 45))).date()
    decided = min(decided, now.date())
    start = decided + timedelta(days=rng.randint(14, 45))
    value = sum(o.estimated_cost_pence or 0 for o in chosen)
    value = value - value % 100 + rng.choice([0, 0, 37, 99, 1])  # some contracts are not round
    commitments = [
        CommitmentDraft(
            measure_id=measures[code].id,
            target=Decimal(commissioning.parse_pounds(target))
            if measures[code].is_money
            else Decimal(target),
            is_enforceable=enforceable,
        )
        for code, target, enforceable in COMMITMENTS[n % len(COMMITMENTS)]
        if code in measures
    ]
    return DecisionDraft(
        option_ids=[o.id for o in chosen],
        provider_name=name,
        provider_kind=kind,
        provider_group_id=group_id,
        provider_is_sme=sme,
        procurement_route=ROUTES[kind],
        value_pence=value,
        start_date=start,
        end_date=start + timedelta(days=365),
        review_date=start + timedelta(days=300),
        decided_on=decided,
        cabinet_member=CABINET[n % len(CABINET)],
        departure_reason=DEPARTURE if departs else None,
        status=DeliveryStatus.AWARDED,
        commitments=commitments,
    )


def _progress(rng, officer, decision, now) -> None:
    """Updates from the start until today: delivery grows towards each target."""
    day, statuses = decision.start_date, [DeliveryStatus.DELIVERING, DeliveryStatus.DELIVERING]
    if decision.review_date <= now.date():
        statuses.append(DeliveryStatus.UNDER_REVIEW)
    for step, status in enumerate(statuses, start=1):
        day = day + timedelta(days=rng.randint(60, 110))
        if day > now.date():
            return
        delivered = {}
        for c in decision.commitments:
            share = Decimal(min(1.0, step * rng.uniform(0.25, 0.45))).quantize(Decimal("0.01"))
            amount = Decimal(1) if c.measure.is_qualitative else (c.target * share).quantize(Decimal("0.01"))
            delivered[c.id] = Decimal(int(amount)) if c.measure.is_money else amount
        commissioning.post_update(
            officer, decision, ProgressDraft(day, status, NOTES[status], delivered), notify=False
        )


def seed(rng, context: dict, echo) -> None:
    """Decisions for every closed consultation that has none, with commitments and progress."""
    now = utcnow()
    load_checklist()
    wards = {w.code: w for w in context.get("wards") or db.session.scalars(select(Ward))}
    voters = _voters()
    for spec in WARD_VOTES:
        _ward_vote(rng, spec, wards, voters, now)
    officer = db.session.scalar(select(User).where(User.email == f"officer@{DEMO_DOMAIN}"))
    if officer is None:
        echo("Commissioning: no demo officer, no decisions.")
        return
    measures = {m.code: m for m in db.session.scalars(select(SocialValueMeasure))}
    groups = list(
        db.session.scalars(select(Group).where(Group.hidden_at.is_(None)).order_by(Group.id).limit(40))
    )
    todo = db.session.scalars(
        select(Consultation).where(Consultation.phase == Phase.CLOSED).order_by(Consultation.id)
    )
    made = 0
    with current_app.test_request_context("/"):
        for n, consultation in enumerate([c for c in todo if c.decision is None]):
            choice = commissioning.vote_choice(consultation)
            options = {o.id: o for o in consultation.options}
            # One decision departs from the vote: the runner-up instead of the first choice.
            departs = consultation.title == DEPARTS
            ids = choice.option_ids or [min(options)]
            if departs:
                ids = [next(i for i in options if i not in choice.option_ids)]
            draft = _draft(rng, n, consultation, [options[i] for i in ids], departs, measures, groups, now)
            decision = commissioning.record_decision(officer, consultation, draft)
            _progress(rng, officer, decision, now)
            made += 1
    echo(f"Commissioning: {made} decisions recorded, with social value and progress.")
