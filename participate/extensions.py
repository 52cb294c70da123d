"""The Flask extensions, created unbound and bound to the app in `create_app`."""

from authlib.integrations.flask_client import OAuth
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from participate.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Limits are declared on the routes that need them; storage comes from RATELIMIT_STORAGE_URI
# (Redis when REDIS_URL is set, so every app process shares one count).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Staff single sign-on registers its OpenID Connect client here when OIDC_* is configured.
oauth = OAuth()
