"""The demo data set: Lambeth's wards and lifelike content, loaded by `flask --app participate demo`.

Each feature adds a step; every step can run again without harm (it skips what is there).
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from pathlib import Path

from flask import current_app

from participate.extensions import db

DEMO_DOMAIN = "demo.participate.localhost"


def demo_password() -> str:
    """The password of the demo's staff and resident accounts: made once, kept in `instance/`."""
    path = Path(current_app.instance_path) / "demo_password"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    password = "-".join(secrets.choice(WORDS) for _ in range(4))
    path.write_text(password)
    path.chmod(0o600)
    return password


WORDS = [
    "acre",
    "brixton",
    "clapham",
    "dulwich",
    "effra",
    "ferndale",
    "garden",
    "herne",
    "kennington",
    "larkhall",
    "market",
    "norwood",
    "oval",
    "park",
    "railton",
    "stockwell",
    "thornton",
    "vauxhall",
    "windrush",
    "streatham",
    "tulse",
    "loughborough",
    "myatt",
    "waterloo",
    "lido",
    "allotment",
]


def run(echo: Callable[[str], None] = print) -> None:
    """Load every step of the demo in order, committing after each."""
    from participate.demo import accounts

    rng = random.Random(2013)  # The year Lambeth described the cooperative council.
    steps = [accounts.seed]
    context: dict = {}
    for step in steps:
        step(rng, context, echo)
        db.session.commit()
    accounts.print_sign_in(context, echo)
