"""One blueprint per feature; blueprints never import each other.

Every module (or package) here that defines `bp` is registered; a module may also define
`NAV = [(order, endpoint, label)]` to add links to the main navigation.
"""

from __future__ import annotations

import importlib
import pkgutil


def discover() -> list:
    """Import every blueprint module of this package, in name order."""
    modules = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "bp"):
            modules.append(module)
    return modules


def nav_items(modules) -> list[tuple[int, str, object]]:
    """The main navigation links every blueprint contributes, in their order."""
    return sorted((item for m in modules for item in getattr(m, "NAV", [])), key=lambda i: i[0])
