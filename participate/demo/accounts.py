"""Demo step: Lambeth's wards, one account of each role, and residents in every ward."""

from __future__ import annotations

import pyotp
from sqlalchemy import func, select

from participate import PROJECT_ROOT
from participate.demo import DEMO_DOMAIN, demo_password
from participate.demo.names import FIRST_NAMES, POSTCODE_DISTRICTS, SURNAMES
from participate.extensions import db
from participate.models import User, Ward, utcnow
from participate.services import accounts, two_factor
from participate.services.wards import import_wards

ORDER = 10
WARDS_FILE = PROJECT_ROOT / "participate" / "data" / "lambeth_wards.csv"
RESIDENTS_PER_WARD = 8


def staff_accounts(wards: list[Ward]) -> list[dict]:
    """The demo's named accounts: one of each role, and a verified resident."""
    by_code = {w.code: w for w in wards}
    brixton = by_code.get("E05014098") or wards[0]
    clapham = by_code.get("E05014101") or wards[1]
    return [
        {"email": f"admin@{DEMO_DOMAIN}", "name": "Alex Admin", "role": "admin", "wards": [brixton]},
        {"email": f"officer@{DEMO_DOMAIN}", "name": "Olu Officer", "role": "officer", "wards": [brixton]},
        {
            "email": f"councillor@{DEMO_DOMAIN}",
            "name": "Cllr Claire Campbell",
            "role": "councillor",
            "wards": [brixton, clapham],
        },
        {"email": f"resident@{DEMO_DOMAIN}", "name": "Rahma Reid", "role": "resident", "wards": [brixton]},
    ]


def _postcode(rng) -> str:
    district = rng.choice(POSTCODE_DISTRICTS)
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{district} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def seed(rng, context: dict, echo) -> None:
    """Load the wards, the named accounts and residents in every ward."""
    result = import_wards(WARDS_FILE, retire_missing=True)
    wards = list(db.session.scalars(select(Ward).where(Ward.is_current).order_by(Ward.code)))
    echo(f"Wards: {len(result.created)} created, {len(result.updated)} updated.")
    context["wards"] = wards
    password = demo_password()
    context["password"] = password
    named = []
    for spec in staff_accounts(wards):
        user = accounts.find_by_email(spec["email"])
        if user is None:
            user = accounts.create_user(
                email=spec["email"],
                display_name=spec["name"],
                password=password,
                role=spec["role"],
                wards=spec["wards"],
                verified=True,
            )
        if user.holds_staff_role and not user.has_two_factor:
            # Staff roles need two-factor sign-in; the demo prints the key for an authenticator app.
            secret = two_factor.new_secret()
            two_factor.enable(user, secret, pyotp.TOTP(secret).now())
            user.totp_last_step = None
        named.append((spec["role"], user))
    context["named"] = named
    existing = db.session.scalar(
        select(func.count(User.id)).where(User.email.like(f"resident-%@{DEMO_DOMAIN}"))
    )
    if existing:
        return
    now = utcnow()
    for ward in wards:
        for n in range(RESIDENTS_PER_WARD):
            first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            db.session.add(
                User(
                    email=f"resident-{ward.code.lower()}-{n}@{DEMO_DOMAIN}",
                    display_name=f"{first} {last[0]}.",
                    postcode=_postcode(rng),
                    ward=ward,
                    locale=rng.choice(["en"] * 6 + ["pt", "es", "pl", "fr", "so", "ar"]),
                    email_verified_at=now,
                    residency_verified_at=now if rng.random() < 0.6 else None,
                )
            )
    db.session.flush()


def print_sign_in(context: dict, echo) -> None:
    """Print the demo accounts' sign-in details."""
    echo("")
    echo("Demo accounts (password for all: {})".format(context["password"]))
    for role, user in context["named"]:
        key = two_factor.secret_of(user) if user.has_two_factor else None
        extra = f"  two-factor key: {key}" if key else ""
        echo(f"  {role:<11} {user.email}{extra}")
    echo("Staff sign in with a code from an authenticator app set up with their key (or: python -c")
    echo("\"import pyotp; print(pyotp.TOTP('KEY').now())\").")
