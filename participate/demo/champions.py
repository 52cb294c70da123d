"""Demo step: Lambeth's champions at the scale of the seed – about 500 champions, 60 groups and
5,000 residents across the wards, with events past and upcoming, waiting lists and announcements.

Rows are bulk-inserted (one statement per table, IDs returned in order), so `demo` stays fast.
Residents added here have no password: they exist to fill the pages and cannot sign in.
"""

from __future__ import annotations

from collections import defaultdict, deque
from datetime import date, time, timedelta
from functools import lru_cache

from sqlalchemy import func, insert, select, update

from participate.demo import DEMO_DOMAIN
from participate.demo.champions_content import (
    ANNOUNCEMENTS,
    AVAILABILITY,
    DESCRIPTIONS,
    EVENT_TITLES,
    GROUP_NAMES,
    PLACES,
    STATEMENTS,
)
from participate.demo.names import FIRST_NAMES, SURNAMES
from participate.extensions import db
from participate.london import in_london, to_utc
from participate.models import (
    Announcement,
    ChampionProfile,
    Event,
    Group,
    Interest,
    Membership,
    Rsvp,
    User,
    utcnow,
)
from participate.models.groups import champion_interests, group_wards
from participate.sanitize import render_markdown

ORDER = 40
RESIDENTS_PER_WARD = 192  # with the 8 of the accounts step: 200 a ward, 5,000 in all
CHAMPIONS_PER_WARD = 20
GROUPS = 62  # two of them archived: 60 open
FOCUS_WEIGHTS = [
    (Interest.FOOD_GROWING, 16),
    (Interest.BIODIVERSITY, 14),
    (Interest.WASTE_AND_RECYCLING, 11),
    (Interest.CLEAN_AIR, 8),
    (Interest.COMMUNITY_ENERGY, 7),
    (Interest.OTHER, 4),
]


def _insert(model_or_table, rows: list[dict], key: tuple[str, ...] = ()) -> list[int]:
    """Insert many rows in one statement; with `key` (columns that tell the rows apart), return
    the new IDs in the rows' order, read back in one query (faster than RETURNING row by row)."""
    if not rows:
        return []
    db.session.execute(insert(model_or_table), rows)
    if not key:
        return []
    columns = [getattr(model_or_table, k) for k in key]
    found: dict[tuple, deque] = defaultdict(deque)
    for row in db.session.execute(select(model_or_table.id, *columns).order_by(model_or_table.id)):
        found[tuple(row[1:])].append(row[0])
    return [found[tuple(r[k] for k in key)].popleft() for r in rows]


@lru_cache(maxsize=512)
def _html(text: str) -> str:
    return str(render_markdown(text))


def _focus(rng) -> Interest:
    return rng.choices([f for f, _w in FOCUS_WEIGHTS], weights=[w for _f, w in FOCUS_WEIGHTS])[0]


def seed(rng, context: dict, echo) -> None:
    """Add residents, champions, groups, memberships, events, RSVPs and announcements (once)."""
    if db.session.scalar(select(func.count(User.id)).where(User.email.like(f"neighbour-%@{DEMO_DOMAIN}"))):
        echo("Champions: already there.")
        return
    now = utcnow()
    wards = context["wards"]
    residents = _residents(rng, wards, now)
    named = dict((role, user) for role, user in context.get("named", []))
    champions = _champions(rng, wards, residents, named.get("resident"), now)
    groups = _groups(rng, wards, champions, now)
    members = _memberships(rng, groups, residents, now)
    events = _events(rng, groups, now)
    rsvps = _rsvps(rng, events, members, residents, now)
    _announcements(rng, groups, now)
    db.session.flush()
    echo(
        f"Champions: {sum(len(v) for v in residents.values())} residents added, "
        f"{sum(len(v) for v in champions.values())} champions, {len(groups)} groups, "
        f"{sum(len(m) for m in members.values())} memberships, {len(events)} events, {rsvps} RSVPs."
    )


def _residents(rng, wards, now) -> dict[int, list[int]]:
    """Residents of every ward (no password), by ward id: the 8 of the accounts step come first."""
    rows, owners = [], []
    for ward in wards:
        for n in range(RESIDENTS_PER_WARD):
            first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            rows.append(
                {
                    "email": f"neighbour-{ward.code.lower()}-{n}@{DEMO_DOMAIN}",
                    "display_name": f"{first} {last[0]}.",
                    "ward_id": ward.id,
                    "locale": rng.choice(["en"] * 6 + ["pt", "es", "pl", "fr", "so", "ar"]),
                    "created_at": now - timedelta(days=rng.randint(30, 1100)),
                    "email_verified_at": now if rng.random() < 0.9 else None,
                    "session_version": 1,
                }
            )
            owners.append(ward.id)
    ids = _insert(User, rows, key=("email",))
    by_ward: dict[int, list[int]] = {w.id: [] for w in wards}
    for ward_id, user_id in zip(owners, ids, strict=True):
        by_ward[ward_id].append(user_id)
    return by_ward


def _champions(rng, wards, residents, named_resident, now) -> dict[int, list[tuple]]:
    """Champions by ward id: (profile id, user id, since, is_public). The named resident is one."""
    rows, interests = [], []
    for ward in wards:
        people = residents[ward.id][:CHAMPIONS_PER_WARD]
        if named_resident is not None and named_resident.ward_id == ward.id:
            people = [named_resident.id] + people[: CHAMPIONS_PER_WARD - 1]
        for user_id in people:
            chosen = rng.sample([f for f, _w in FOCUS_WEIGHTS], k=rng.choice([1, 1, 2, 2, 3]))
            rows.append(
                {
                    "user_id": user_id,
                    "ward_id": ward.id,
                    "statement": STATEMENTS[chosen[0]],
                    "availability": rng.choice(AVAILABILITY),
                    "is_public": user_id == getattr(named_resident, "id", None) or rng.random() < 0.6,
                    "may_contact": rng.random() < 0.75,
                    # The open call grows over two and a half years.
                    "created_at": now - timedelta(days=int(900 * rng.random() ** 1.4)),
                }
            )
            interests.append(chosen)
    ids = _insert(ChampionProfile, rows, key=("user_id",))
    _insert(
        champion_interests,
        [
            {"champion_id": i, "interest": f.value}
            for i, chosen in zip(ids, interests, strict=True)
            for f in chosen
        ],
    )
    by_ward: dict[int, list[tuple]] = {w.id: [] for w in wards}
    for profile_id, row in zip(ids, rows, strict=True):
        by_ward[row["ward_id"]].append((profile_id, row["user_id"], row["created_at"], row["is_public"]))
    return by_ward


def _groups(rng, wards, champions, now) -> list[dict]:
    """Sixty groups, each started by a champion, working in its home ward and sometimes neighbours."""
    groups, used = [], set()
    order = sorted(wards, key=lambda w: w.code)
    for n in range(GROUPS):
        home = order[n % len(order)]
        _profile, user_id, since, public = champions[home.id][n // len(order)]
        focus = _focus(rng)
        place = rng.choice(PLACES.get(home.code, [home.name]))
        name = rng.choice(GROUP_NAMES[focus]).format(place=place, ward=home.name)
        while name in used:
            name = f"{name} {rng.choice(['Collective', 'Network', 'Friends', 'Project'])}"
        used.add(name)
        index = order.index(home)
        extra = [order[(index + d) % len(order)] for d in (1, -1) if rng.random() < 0.3]
        created = max(since, now - timedelta(days=850)) + timedelta(days=rng.randint(1, 40))
        description = DESCRIPTIONS[focus].format(place=place, ward=home.name)
        groups.append(
            {
                "row": {
                    "name": name,
                    "focus": focus.value,
                    "description": description,
                    "description_html": _html(description),
                    "meeting_place": place,
                    "created_by_id": user_id,
                    "created_at": min(created, now - timedelta(days=20)),
                    "member_count": 0,
                    "is_locked": False,
                },
                "wards": [home, *extra],
                "organiser": (user_id, public),
                "focus": focus,
                "place": place,
                "archived": n % 29 == 28,
            }
        )
    ids = _insert(Group, [g["row"] for g in groups], key=("name",))
    for group, group_id in zip(groups, ids, strict=True):
        group["id"] = group_id
    _insert(group_wards, [{"group_id": g["id"], "ward_id": w.id} for g in groups for w in g["wards"]])
    return groups


def _memberships(rng, groups, residents, now) -> dict[int, list[int]]:
    """Members drawn from each group's wards (about 80 a group); organisers first."""
    rows, by_group = [], {}
    for group in groups:
        pool = [u for w in group["wards"] for u in residents[w.id]]
        organiser, public = group["organiser"]
        chosen = [organiser] + [
            u for u in rng.sample(pool, k=min(len(pool), rng.randint(70, 150))) if u != organiser
        ]
        by_group[group["id"]] = chosen
        span = max((now - group["row"]["created_at"]).days, 1)
        for n, user_id in enumerate(chosen):
            rows.append(
                {
                    "group_id": group["id"],
                    "user_id": user_id,
                    "role": "organiser" if n == 0 or (n < 3 and rng.random() < 0.5) else "member",
                    "joined_at": group["row"]["created_at"]
                    + timedelta(days=0 if n == 0 else rng.randint(0, span)),
                    "is_public": public if n == 0 else rng.random() < 0.35,
                }
            )
    _insert(Membership, rows)
    db.session.execute(
        update(Group),
        [
            {
                "id": g["id"],
                "member_count": len(by_group[g["id"]]),
                "archived_at": now - timedelta(days=rng.randint(10, 60)) if g["archived"] else None,
            }
            for g in groups
        ],
    )
    return by_group


def _event_time(rng, day: date) -> tuple:
    if day.weekday() >= 5:
        start, hours = time(rng.choice([10, 11, 14])), 3
    else:
        start, hours = time(18, 30), 2
    starts = to_utc(day, start)
    return starts, starts + timedelta(hours=hours)


def _events(rng, groups, now) -> list[dict]:
    """Roughly monthly events since each group started, and two or three to come."""
    events = []
    today = in_london(now).date()
    for group in groups:
        created = in_london(group["row"]["created_at"]).date()
        days = [created + timedelta(days=d) for d in range(14, (today - created).days, rng.randint(24, 40))][
            -9:
        ]
        if not group["archived"]:
            days += [today + timedelta(days=rng.randint(1, 45)) for _ in range(rng.randint(2, 3))]
            if rng.random() < 0.25:
                days.append(today + timedelta(days=1))  # something tomorrow, for the reminders
        for day in days:
            starts, ends = _event_time(rng, day)
            title = rng.choice(EVENT_TITLES[group["focus"]])
            text = f"Join us at {group['place']}. Everyone is welcome; bring a friend."
            events.append(
                {
                    "group_id": group["id"],
                    "title": title,
                    "description": text,
                    "description_html": _html(text),
                    "place": group["place"],
                    "starts_at": starts,
                    "ends_at": ends,
                    "capacity": rng.choice([None, None, 12, 20, 25, 30, 40]),
                    "going_count": 0,
                    "created_by_id": group["organiser"][0],
                    "created_at": min(starts - timedelta(days=14), now),
                    "cancelled_at": now - timedelta(days=1) if rng.random() < 0.03 else None,
                    "sequence": 0,
                }
            )
    ids = _insert(Event, events, key=("group_id", "starts_at", "title"))
    for event, event_id in zip(events, ids, strict=True):
        event["id"] = event_id
    return events


def _rsvps(rng, events, members, residents, now) -> int:
    """Answers from members (and a few others): past events mostly full, some upcoming with waiting lists."""
    rows, counts = [], []
    everyone = [u for ward in residents.values() for u in ward]
    for event in events:
        pool = members[event["group_id"]]
        wanted = rng.randint(6, 34)
        # The organiser who started the group goes to its events, with members and a few others.
        chosen = rng.sample(pool, k=min(len(pool), wanted)) + rng.sample(everyone, k=6)
        people = list(dict.fromkeys([pool[0], *chosen]))
        going = people if event["capacity"] is None else people[: event["capacity"]]
        waiting = [] if event["capacity"] is None else people[event["capacity"] :]
        if event["starts_at"] <= now:
            waiting = []
        at = event["created_at"]
        for n, user_id in enumerate(going + waiting):
            status = "going" if n < len(going) else "waiting"
            when = min(at + timedelta(hours=n + 1), now)
            rows.append(
                {
                    "event_id": event["id"],
                    "user_id": user_id,
                    "status": status,
                    "created_at": when,
                    "status_at": when,
                    "reminded_at": when if event["starts_at"] <= now else None,
                }
            )
        counts.append({"id": event["id"], "going_count": len(going)})
    _insert(Rsvp, rows)
    db.session.execute(update(Event), counts)
    return len(rows)


def _announcements(rng, groups, now) -> None:
    rows = []
    for group in groups:
        for n in range(rng.randint(1, 4)):
            body = ANNOUNCEMENTS[(group["id"] + n) % len(ANNOUNCEMENTS)]
            rows.append(
                {
                    "group_id": group["id"],
                    "author_id": group["organiser"][0],
                    "body": body,
                    "body_html": _html(body),
                    "created_at": now - timedelta(days=rng.randint(1, 300)),
                    "is_locked": False,
                }
            )
    _insert(Announcement, rows)
