"""The demo data set: Lambeth's wards and lifelike content, loaded by `flask --app participate demo`.

Each feature adds a module here with `ORDER` and `seed(rng, context, echo)`; steps run in order
and every step can run again without harm (it skips what is there).
"""

from __future__ import annotations

import importlib
import pkgutil
import random
import secrets
from collections.abc import Callable
from pathlib import Path

from flask import current_app

from participate.extensions import db

DEMO_DOMAIN = "demo.participate.example"


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

    context: dict = {}
    for module in steps():
        # Each step has its own generator, so adding a step never changes another's data.
        rng = random.Random(f"{module.__name__}-2013")  # 2013: Lambeth's cooperative council.
        module.seed(rng, context, echo)
        db.session.commit()
    accounts.print_sign_in(context, echo)


def steps() -> list:
    """The demo modules that define a `seed` step, in their ORDER."""
    modules = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "seed"):
            modules.append(module)
    return sorted(modules, key=lambda m: m.ORDER)
