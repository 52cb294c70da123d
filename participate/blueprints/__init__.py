"""One blueprint per feature; blueprints never import each other."""

from participate.blueprints.account import bp as account
from participate.blueprints.auth import bp as auth
from participate.blueprints.main import bp as main

BLUEPRINTS = [main, auth, account]
