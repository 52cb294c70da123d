"""Demo step: votes open now (approval and quadratic) and closed votes with thousands of ballots.

The step makes its own consultations and options, so it does not depend on the deliberation
demo; its voters are demo residents made in bulk (they cannot sign in: no password). Ballots are
inserted in bulk, and the closed votes' results are computed and stored as at closing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, insert, select

from participate.demo import DEMO_DOMAIN
from participate.demo.names import FIRST_NAMES, SURNAMES
from participate.extensions import db
from participate.models import (
    Ballot,
    BallotEntry,
    Consultation,
    Option,
    Participation,
    Phase,
    PhaseChange,
    ProviderType,
    User,
    VotingMethod,
    Ward,
    utcnow,
)
from participate.services.receipts import new_receipt
from participate.services.results import on_consultation_closed

ORDER = 60
VOTERS_PER_WARD = 300
P = ProviderType

# (title, outcome, method, phase, ward codes (None: borough-wide), settings, turnout, options)
# Each option: (title, provider, cost in pounds, popularity 0..1).
CONSULTATIONS = [
    (
        "Somewhere safe for young people in Brixton in the evenings",
        "Young people in Brixton have somewhere safe, free and welcoming to go after school and at weekends.",
        VotingMethod.APPROVAL,
        Phase.VOTING,
        ["E05014098", "E05014096"],
        {"max_approvals": 3, "budget_pence": 120_000_00},
        0.12,
        [
            ("Open the Windrush Square youth hub four evenings a week", P.VOLUNTARY_COMMUNITY, 48_000, 0.7),
            ("Free football and basketball sessions at Max Roach Park", P.COMMUNITY_LED, 22_000, 0.6),
            ("Music studio and mentoring at the recreation centre", P.SOCIAL_ENTERPRISE, 55_000, 0.45),
            ("Late opening of Brixton Library with homework clubs", P.IN_HOUSE, 31_000, 0.4),
            ("Detached youth workers on the estates", P.ARMS_LENGTH, 64_000, 0.35),
        ],
    ),
    (
        "Greener, cooler streets in Brixton and Clapham Park",
        "Streets in Brixton and Clapham Park are shaded, planted and pleasant to walk along in hot summers.",
        VotingMethod.QUADRATIC,
        Phase.VOTING,
        ["E05014098", "E05014101"],
        {"credits": 100, "allow_negative": False},
        0.1,
        [
            ("Plant 120 street trees with resident tree guardians", P.COMMUNITY_LED, 90_000, 0.7),
            ("Turn six parking bays into parklets", P.SOCIAL_ENTERPRISE, 36_000, 0.35),
            ("Depave and plant the Poynders Road verges", P.IN_HOUSE, 42_000, 0.5),
            ("Water fountains at bus stops and parks", P.PRIVATE, 28_000, 0.45),
            ("Community composting on every estate", P.VOLUNTARY_COMMUNITY, 15_000, 0.3),
        ],
    ),
    (
        "Lambeth Community Fund 2025",
        "Residents decide together which community projects the borough's fund pays for this year.",
        VotingMethod.APPROVAL,
        Phase.CLOSED,
        None,
        {"budget_pence": 400_000_00},
        0.55,
        [
            ("Warm spaces in libraries through the winter", P.IN_HOUSE, 85_000, 0.65),
            ("Free swimming lessons for primary school children", P.ARMS_LENGTH, 120_000, 0.55),
            ("Repair café and tool library in Streatham", P.VOLUNTARY_COMMUNITY, 18_000, 0.35),
            ("Food growing at ten school gardens", P.COMMUNITY_LED, 40_000, 0.45),
            ("Digital skills drop-ins for older residents", P.SOCIAL_ENTERPRISE, 26_000, 0.4),
            ("Safer crossings on the South Circular", P.IN_HOUSE, 210_000, 0.5),
            ("Black history walking trails and plaques", P.COMMUNITY_LED, 30_000, 0.3),
            ("Mental health peer support in every ward", P.VOLUNTARY_COMMUNITY, 95_000, 0.5),
            ("Bike hangars for 400 households", P.PRIVATE, 150_000, 0.25),
            ("Summer festival on Windrush Square", P.SOCIAL_ENTERPRISE, 60_000, 0.3),
        ],
    ),
    (
        "Safer routes to school in the north of the borough",
        "Children in Kennington, Oval, Stockwell, Vauxhall and Waterloo walk and cycle to school safely.",
        VotingMethod.QUADRATIC,
        Phase.CLOSED,
        ["E05014105", "E05014107", "E05014108", "E05014110", "E05014111", "E05014117", "E05014118"],
        {"credits": 100, "allow_negative": True, "budget_pence": 250_000_00},
        0.6,
        [
            ("School streets closed to traffic at drop-off", P.IN_HOUSE, 60_000, 0.65),
            ("Lollipop crossing patrols at six schools", P.ARMS_LENGTH, 48_000, 0.5),
            ("Protected cycle lane on Stockwell Road", P.IN_HOUSE, 180_000, 0.35),
            ("Walking bus run by parents", P.COMMUNITY_LED, 12_000, 0.45),
            ("20mph average speed cameras", P.PRIVATE, 90_000, 0.2),
            ("Bikeability training for every Year 5", P.SOCIAL_ENTERPRISE, 25_000, 0.5),
        ],
    ),
]


def _voters(rng, wards: list[Ward], now) -> dict[int, list[int]]:
    """Demo residents who vote, by ward id: made once, in bulk."""
    pattern = f"voter-%@{DEMO_DOMAIN}"
    if not db.session.scalar(select(func.count(User.id)).where(User.email.like(pattern))):
        rows = []
        for ward in wards:
            for n in range(VOTERS_PER_WARD):
                rows.append(
                    {
                        "email": f"voter-{ward.code.lower()}-{n}@{DEMO_DOMAIN}",
                        "display_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)[0]}.",
                        "ward_id": ward.id,
                        "locale": "en",
                        "created_at": now - timedelta(days=400 - n),
                        "email_verified_at": now - timedelta(days=399 - n),
                        "session_version": 1,
                    }
                )
        db.session.execute(insert(User), rows)
    by_ward: dict[int, list[int]] = {}
    for user_id, ward_id in db.session.execute(select(User.id, User.ward_id).where(User.email.like(pattern))):
        by_ward.setdefault(ward_id, []).append(user_id)
    return by_ward


def _consultation(spec, wards_by_code: dict[str, Ward], now) -> tuple[Consultation, bool]:
    """The spec's consultation: found by title, or created with its options."""
    title, outcome, method, phase, codes, settings, _turnout, options = spec
    found = db.session.scalar(select(Consultation).where(Consultation.title == title))
    if found is not None:
        return found, False
    closed = phase == Phase.CLOSED
    opens = now - timedelta(days=60 if closed else 5)
    consultation = Consultation(
        title=title,
        outcome_statement=outcome,
        method=method,
        phase=phase,
        is_borough_wide=codes is None,
        wards=[wards_by_code[c] for c in codes or []],
        options_open_at=opens - timedelta(days=30),
        voting_open_at=opens,
        voting_close_at=opens + timedelta(days=21),
        # The demo's own resident registers today; let them try the open votes.
        allow_late_registration=not closed,
        **settings,
    )
    db.session.add(consultation)
    changes = [(None, Phase.OPTIONS), (Phase.OPTIONS, Phase.VOTING)] + (
        [(Phase.VOTING, Phase.CLOSED)] if closed else []
    )
    for before, after in changes:
        db.session.add(
            PhaseChange(consultation=consultation, from_phase=before and before.value, to_phase=after.value)
        )
    for option_title, provider, pounds, _popularity in options:
        db.session.add(
            Option(
                consultation=consultation,
                title=option_title,
                description=f"{option_title}. Costed by the council's commissioning team.",
                provider_type=provider,
                estimated_cost_pence=pounds * 100,
            )
        )
    db.session.flush()
    return consultation, True


def _ballot(rng, method, ids, popularity, bias, credits=100, max_approvals=None) -> dict[int, int]:
    """One lifelike valid ballot: popular options more often, a ward's own taste shifting the odds."""
    if method == VotingMethod.APPROVAL:
        chosen = [o for o, p, b in zip(ids, popularity, bias, strict=True) if rng.random() < p * b]
        if max_approvals is not None and len(chosen) > max_approvals:
            chosen = rng.sample(chosen, max_approvals)
        return dict.fromkeys(chosen, 1)
    votes = {}
    for o, p, b in sorted(zip(ids, popularity, bias, strict=True), key=lambda _: rng.random()):
        if p <= 0:
            continue  # not on the ballot
        if rng.random() < p * b:
            n = rng.choice([1, 2, 3, 4, 5, 6])
            if n * n <= credits:
                votes[o] = n
                credits -= n * n
        elif rng.random() < 0.08 and credits >= 4:
            votes[o] = -2
            credits -= 4
    return votes


def _cast(rng, consultation, spec, voters_by_ward, now) -> int:
    """Bulk-insert the demo residents' ballots, entries and participation."""
    _title, _o, method, phase, codes, settings, turnout, options = spec
    ids = list(
        db.session.scalars(
            select(Option.id).where(Option.consultation_id == consultation.id).order_by(Option.id)
        )
    )
    popularity = [o[3] for o in options]
    ward_ids = [w.id for w in consultation.wards] if codes else list(voters_by_ward)
    positive_only = method == VotingMethod.QUADRATIC and not settings.get("allow_negative")

    def ballot_of(bias):
        votes = _ballot(rng, method, ids, popularity, bias, consultation.credits, consultation.max_approvals)
        return {o: v for o, v in votes.items() if v > 0} if positive_only else votes

    ballots, entries, participations = [], [], []
    for ward_id in ward_ids:
        bias = [rng.uniform(0.6, 1.4) for _ in ids]
        for user_id in voters_by_ward.get(ward_id, []):
            if rng.random() >= turnout:
                continue
            receipt = new_receipt()
            cast = consultation.voting_open_at + timedelta(minutes=rng.randint(0, 20 * 24 * 60))
            ballots.append({"consultation_id": consultation.id, "voter_id": user_id, "ward_id": ward_id,
                            "receipt": receipt, "cast_at": min(cast, now)})  # fmt: skip
            participations.append(
                {"consultation_id": consultation.id, "user_id": user_id, "created_at": min(cast, now)}
            )
            entries.append((receipt, ballot_of(bias)))
    if not ballots:
        return 0
    db.session.execute(insert(Ballot), ballots)
    db.session.execute(insert(Participation), participations)
    ids_by_receipt = dict(
        db.session.execute(
            select(Ballot.receipt, Ballot.id).where(Ballot.consultation_id == consultation.id)
        ).all()
    )
    rows = [
        {"ballot_id": ids_by_receipt[r], "option_id": o, "votes": v}
        for r, votes in entries
        for o, v in votes.items()
    ]
    if rows:
        db.session.execute(insert(BallotEntry), rows)
    return len(ballots)


def seed(rng, context: dict, echo) -> None:
    """Two votes open now and two closed ones with their stored results."""
    now = utcnow()
    wards = context.get("wards") or list(
        db.session.scalars(select(Ward).where(Ward.is_current).order_by(Ward.code))
    )
    wards_by_code = {w.code: w for w in wards}
    voters = _voters(rng, wards, now)
    for spec in CONSULTATIONS:
        if spec[4] and not all(code in wards_by_code for code in spec[4]):
            continue
        consultation, created = _consultation(spec, wards_by_code, now)
        if not created:
            continue
        count = _cast(rng, consultation, spec, voters, now)
        if consultation.phase == Phase.CLOSED:
            on_consultation_closed(consultation)
        echo(f"Voting: {consultation.title} ({consultation.phase.value}, {count} ballots).")
    _vote_in_the_others(rng, voters, now, echo)


def _vote_in_the_others(rng, voters, now, echo) -> None:
    """Ballots for the consultations other demo steps opened or closed, and their stored results."""
    from participate.models import StoredResult

    voted = select(Ballot.consultation_id).distinct()
    others = db.session.scalars(
        select(Consultation).where(
            Consultation.phase.in_([Phase.VOTING, Phase.CLOSED]), Consultation.id.not_in(voted)
        )
    ).all()
    for consultation in others:
        options = sorted(consultation.options, key=lambda o: o.id)
        if not any(o.is_active for o in options):
            continue
        # Options merged away, ineligible or hidden are not on the ballot: nobody votes for them.
        popularity = [(o.id, o.title, None, rng.uniform(0.05, 0.6) if o.is_active else 0.0) for o in options]
        settings = {"allow_negative": consultation.allow_negative}
        codes = [w.code for w in consultation.wards] if not consultation.is_borough_wide else []
        spec = (consultation.title, None, consultation.method, consultation.phase, codes, settings, 0.3,
                popularity)  # fmt: skip
        count = _cast(rng, consultation, spec, voters, now)
        if consultation.phase == Phase.CLOSED and db.session.get(StoredResult, consultation.id) is None:
            on_consultation_closed(consultation)
        echo(f"Voting: {consultation.title} ({consultation.phase.value}, {count} ballots).")
