"""Demo step: the social value checklist, proposals in every ward, and consultations in every phase.

One consultation (Brixton Windrush, options phase) has 60 options and 300 comments, the size the
busy-page tests and benchmarks use. Some comments are flagged, some hidden, one thread locked.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from participate.demo import DEMO_DOMAIN
from participate.demo.deliberation_text import (
    COMMENTS,
    HIDE_REASONS,
    OFF_TOPIC,
    OPTION_DESCRIPTIONS,
    OPTION_IDEAS,
    OPTION_PLACES,
    PROPOSALS,
    REPLIES,
)
from participate.extensions import db
from participate.models import (
    Comment,
    Consultation,
    Flag,
    FlagReason,
    Follow,
    ModerationAction,
    ModerationVerb,
    Option,
    OutcomeProposal,
    Phase,
    PhaseChange,
    ProviderType,
    SocialValueMeasure,
    Stance,
    Support,
    User,
    VotingMethod,
    utcnow,
)
from participate.sanitize import render_markdown
from participate.services.social_value import load_checklist

ORDER = 20
# Replies mostly discuss; some take a side.
REPLY_STANCES = [Stance.NEUTRAL] * 3 + [Stance.FOR] * 2 + [Stance.AGAINST]
FLAGSHIP = "Somewhere safe for young people in Brixton Windrush"
DAY = timedelta(days=1)


def seed(rng, context, echo) -> None:
    """Load the checklist, then proposals, consultations, options and discussions (once)."""
    added = load_checklist()
    if added:
        echo(f"Social value checklist: {added} items.")
    if db.session.scalar(select(Consultation.id).where(Consultation.title == FLAGSHIP)) is not None:
        echo("Proposals and consultations: already loaded.")
        return
    now = utcnow()
    wards = context["wards"]
    named = dict(context["named"])
    people = _residents_by_ward()
    proposals = _proposals(rng, wards, people, now)
    consultations = _consultations(rng, wards, named, people, proposals, now)
    comments = _discussions(rng, consultations, people, named, now)
    hidden = _moderation(rng, comments, proposals, named, people, now)
    echo(
        f"Proposals: {len(proposals)}; consultations: {len(consultations)}; "
        f"options: {sum(len(c.options) for c in consultations)}; comments: {len(comments)} "
        f"({hidden} hidden by moderators)."
    )


def _residents_by_ward() -> dict[int, list[User]]:
    found: dict[int, list[User]] = {}
    for user in db.session.scalars(select(User).where(User.email.like(f"%@{DEMO_DOMAIN}")).order_by(User.id)):
        if user.ward_id and not user.grants:
            found.setdefault(user.ward_id, []).append(user)
    return found


def _proposals(rng, wards, people, now) -> list[OutcomeProposal]:
    made, supports = [], []
    for ward in wards:
        residents = people.get(ward.id, [])
        if not residents:
            continue
        count = len(PROPOSALS) if ward.code == "E05014098" else rng.randint(4, 8)
        for category, title, body in rng.sample(PROPOSALS, count):
            author = rng.choice(residents)
            supporters = [r for r in residents if r is not author and rng.random() < 0.45]
            proposal = OutcomeProposal(
                ward_id=ward.id,
                author_id=author.id,
                title=title,
                body=body,
                body_html=render_markdown(body),
                category=category,
                created_at=now - timedelta(days=rng.randint(2, 90), minutes=rng.randint(0, 1440)),
                support_count=len(supporters),
            )
            db.session.add(proposal)
            supports.append((proposal, supporters))
            made.append(proposal)
    db.session.flush()
    db.session.add_all(Support(proposal_id=p.id, user_id=s.id) for p, group in supports for s in group)
    db.session.flush()
    return made


def _ward(wards, code, fallback):
    return next((w for w in wards if w.code == code), wards[fallback % len(wards)])


def _consultation(title, statement, wards, phase, opens, votes, closes, creator, **settings):
    consultation = Consultation(
        title=title,
        outcome_statement=statement,
        outcome_html=render_markdown(statement),
        is_borough_wide=not wards,
        phase=phase,
        options_open_at=opens,
        voting_open_at=votes,
        voting_close_at=closes,
        created_by_id=creator.id,
        created_at=opens - 2 * DAY,
        **settings,
    )
    consultation.wards = list(wards)
    db.session.add(consultation)
    history = [(None, Phase.OPTIONS, creator.id, consultation.created_at)]
    if phase != Phase.OPTIONS:
        history.append((Phase.OPTIONS, Phase.VOTING, None, votes))
    if phase == Phase.CLOSED:
        history.append((Phase.VOTING, Phase.CLOSED, None, closes))
    for before, after, who, when in history:
        db.session.add(
            PhaseChange(
                consultation=consultation,
                from_phase=before.value if before else None,
                to_phase=after.value,
                changed_by_id=who,
                changed_at=when,
            )
        )
    return consultation


def _consultations(rng, wards, named, people, proposals, now) -> list[Consultation]:
    windrush = _ward(wards, "E05014098", 0)
    clapham = _ward(wards, "E05014101", 1)
    pair = [w for w in wards if w.name.startswith(("Stockwell", "Vauxhall"))][:2] or wards[2:4]
    youth = next(p for p in proposals if p.ward_id == windrush.id and "evenings" in p.title)
    approval, quadratic = VotingMethod.APPROVAL, VotingMethod.QUADRATIC
    # title, outcome, wards (none: the whole borough), phase, days from now to each date, creator
    specs = [
        (FLAGSHIP, youth.body, [windrush], Phase.OPTIONS, (-10, 12, 26), "councillor",
         {"method": approval, "max_approvals": 3, "budget_pence": 12_000_000}),
        ("Greener, calmer streets in Clapham Park",
         "Streets where people *want* to walk, with trees, benches and fewer speeding cars.",
         [clapham], Phase.VOTING, (-30, -2, 12), "councillor",
         {"method": quadratic, "credits": 100, "budget_pence": 8_000_000}),
        ("Cleaner air around every school",
         "Every school in the borough has cleaner air at the gates, measured and published each term.",
         [], Phase.CLOSED, (-70, -35, -20), "officer", {"method": approval}),
        ("Food growing on the estates",
         "Residents of the estates grow food together, with space, water, tools and training.",
         pair, Phase.OPTIONS, (5, 30, 44), "officer", {"method": approval}),
    ]  # fmt: skip
    made = [
        _consultation(title, text, scope, phase, *(now + d * DAY for d in days), named[who], **settings)
        for title, text, scope, phase, days, who, settings in specs
    ]
    flagship, streets, air, _food = made
    flagship.proposal_id = youth.id
    _fill(rng, [(flagship, 60, windrush), (streets, 8, clapham), (air, 6, None)], people, named, now)
    db.session.add_all(
        Follow(user_id=named[r].id, consultation_id=flagship.id) for r in ("resident", "councillor")
    )
    db.session.flush()
    return made


def _fill(rng, plan, people, named, now) -> None:
    """Options for each consultation, put forward by its residents (and an officer)."""
    measures = list(db.session.scalars(select(SocialValueMeasure).order_by(SocialValueMeasure.id)))
    everyone = [u for group in people.values() for u in group]
    for consultation, count, ward in plan:
        proposers = (people.get(ward.id, []) if ward else everyone) + [named["officer"]]
        _options(rng, consultation, count, proposers, measures, now)
    db.session.flush()


def _options(rng, consultation, count, proposers, measures, now) -> None:
    kinds = list(ProviderType)
    for n in range(count):
        idea, kind = OPTION_IDEAS[n % len(OPTION_IDEAS)]
        place = OPTION_PLACES[(n // len(OPTION_IDEAS)) % len(OPTION_PLACES)]
        proposer = rng.choice(proposers)
        description = rng.choice(OPTION_DESCRIPTIONS)
        option = Option(
            consultation=consultation,
            title=f"{idea} at {place}" if n >= len(OPTION_IDEAS) else idea,
            description=description,
            description_html=render_markdown(description),
            # The first options show every kind of provider; later ones vary.
            provider_type=kind if n < len(OPTION_IDEAS) else kinds[n % len(kinds)],
            estimated_cost_pence=rng.randrange(500_000, 9_000_000, 50_000) if rng.random() < 0.85 else None,
            proposer_id=proposer.id,
            ward_id=proposer.ward_id,
            created_at=consultation.options_open_at + timedelta(hours=rng.randint(1, 200)),
        )
        option.social_values = rng.sample(measures, rng.randint(0, 3)) if measures else []
        db.session.add(option)


def _discussions(rng, consultations, people, named, now) -> list[Comment]:
    everyone = [u for group in people.values() for u in group]
    flagship, streets, air, _food = consultations
    plan = [
        ({"consultation": flagship}, 100),
        *[
            ({"option": o}, n)
            for o, n in zip(flagship.options, [40, 30, 25, 20, 15, 15, 10, 10, 10, 10, 15], strict=False)
        ],
        ({"consultation": streets}, 20),
        *[({"option": o}, 5) for o in streets.options[:4]],
        ({"consultation": air}, 25),
    ]
    made = []
    for target, count in plan:
        thread = next(iter(target.values()))
        consultation = thread if isinstance(thread, Consultation) else thread.consultation
        ward_ids = consultation.ward_ids
        voices = [u for u in everyone if not ward_ids or u.ward_id in ward_ids] or everyone
        voices += [named["councillor"]] if ward_ids & named["councillor"].councillor_ward_ids else []
        made += _thread(rng, target, count, voices, consultation.options_open_at, now)
    db.session.flush()
    return made


def _thread(rng, target, count, voices, start, now) -> list[Comment]:
    made: list[Comment] = []
    span = max((min(now, start + 20 * DAY) - start).total_seconds(), 3600)
    for n in range(count):
        parent = rng.choice(made) if made and rng.random() < 0.55 else None
        if parent is not None and parent.depth >= 3:
            parent = parent.parent
        stance = rng.choice(list(Stance)) if parent is None else rng.choice(REPLY_STANCES)
        body = rng.choice(COMMENTS[stance.value]) if parent is None else rng.choice(REPLIES)
        author = rng.choice(voices)
        comment = Comment(
            author_id=author.id,
            ward_id=author.ward_id,
            parent=parent,
            depth=parent.depth + 1 if parent else 0,
            stance=stance,
            body=body,
            body_html=render_markdown(body),
            created_at=start + timedelta(seconds=span * (n + 1) / (count + 1)),
            **target,
        )
        db.session.add(comment)
        made.append(comment)
    return made


def _moderation(rng, comments, proposals, named, people, now) -> int:
    """Some comments turn out to be spam or abuse: flagged, most hidden with a reason, one thread
    locked, one comment deleted by its author."""
    reporters = [u for group in people.values() for u in group]
    residents = {u.id for u in reporters}
    targets = rng.sample([c for c in comments if c.author_id in residents], 14)
    hidden = 0
    for n, comment in enumerate(targets):
        reason = [FlagReason.SPAM, FlagReason.ABUSE, FlagReason.PERSONAL_INFORMATION][n % 3]
        comment.body = OFF_TOPIC[n % 3]
        comment.body_html = render_markdown(comment.body)
        flag = Flag(
            target_type="comment",
            target_id=comment.id,
            reporter_id=rng.choice(reporters).id,
            reason=reason,
            created_at=comment.created_at + timedelta(hours=2),
            wards=_wards(comment),
        )
        db.session.add(flag)
        if n < 9:
            moderator = (
                named["councillor"] if comment.ward_ids & named["councillor"].councillor_ward_ids else None
            )
            moderator = moderator or named["officer"]
            comment.hidden_at = flag.created_at + timedelta(hours=3)
            comment.hidden_by_id = moderator.id
            comment.hidden_reason = HIDE_REASONS[reason.value]
            flag.resolved_at, flag.resolved_by_id, flag.resolution = comment.hidden_at, moderator.id, "hidden"
            _log(moderator, "comment", comment.id, ModerationVerb.HIDE, comment.hidden_reason, comment, now)
            hidden += 1
    for proposal in rng.sample(proposals, 4):
        db.session.add(
            Flag(
                target_type="proposal",
                target_id=proposal.id,
                reporter_id=rng.choice(reporters).id,
                reason=FlagReason.OFF_TOPIC,
                note="This is about a different ward.",
                wards=[proposal.ward],
            )
        )
    deleted = rng.choice([c for c in comments if c.hidden_at is None and c.parent_id is None])
    deleted.deleted_at = deleted.created_at + timedelta(minutes=30)
    _lock_one(comments, named, now)
    db.session.flush()
    return hidden


def _wards(target):
    from participate.models import Ward

    return list(db.session.scalars(select(Ward).where(Ward.id.in_(target.ward_ids or {0}))))


def _log(moderator, target_type, target_id, verb, reason, target, now) -> None:
    role = "councillor" if target.ward_ids & moderator.councillor_ward_ids else "officer"
    db.session.add(
        ModerationAction(
            target_type=target_type,
            target_id=target_id,
            verb=verb,
            reason=reason,
            moderator_id=moderator.id,
            moderator_role=role,
            created_at=min(getattr(target, "hidden_at", None) or now, now),
            wards=_wards(target),
        )
    )


def _lock_one(comments, named, now) -> None:
    option = next(
        c.option for c in comments if c.option is not None and c.option.consultation.phase == Phase.VOTING
    )
    option.is_locked = True
    _log(
        named["councillor"],
        "option",
        option.id,
        ModerationVerb.LOCK,
        "Cooling off after heated replies.",
        option,
        now,
    )
