"""Every permission in one place: `can_<verb>_<noun>(user, obj) -> bool`, one module per feature.

Views import the function they need from its module; templates reach every one as `can.<name>`.
Each module's public checks are gathered here, so `participate.permissions.can_x` works too.
"""

from __future__ import annotations

import importlib
import pkgutil

TEMPLATE_CHECKS: dict[str, object] = {}

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    for _name in dir(_module):
        if _name.startswith(("can_", "is_")) and callable(getattr(_module, _name)):
            TEMPLATE_CHECKS[_name] = getattr(_module, _name)

globals().update(TEMPLATE_CHECKS)
