"""participate: a platform for cooperative councils."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS_DIR = PROJECT_ROOT / "translations"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def create_app(config: dict | None = None) -> Flask:
    """Build the application: config → extensions → blueprints → cli → template globals."""
    import os

    # INSTANCE_PATH moves instance/ (the SQLite file, the generated key) elsewhere, e.g. /var/lib.
    app = Flask(
        __name__, instance_relative_config=True, instance_path=os.environ.get("INSTANCE_PATH") or None
    )

    from participate import config as settings

    app.config.from_object(settings.Defaults)
    app.config.update(settings.from_environment(app.instance_path))
    if config:
        app.config.update(config)

    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    _init_extensions(app)
    _register_blueprints(app)

    from participate import cli

    cli.init_app(app)

    from participate import fragments, page_cache, templating

    templating.init_app(app)
    fragments.init_app(app)
    page_cache.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    """Bind every extension to the app."""
    from participate import assets, audit, i18n, security
    from participate.catalogues import compile_catalogues
    from participate.extensions import babel, csrf, db, limiter, login_manager, migrate, oauth

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    oauth.init_app(app)

    compile_catalogues(TRANSLATIONS_DIR)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(TRANSLATIONS_DIR),
    )

    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.session_protection = "basic"
    from participate import login

    login.init_app(app)
    app.before_request(i18n.resolve_early)
    security.init_app(app)
    assets.init_app(app)
    audit.init_app(app)


def _register_blueprints(app: Flask) -> None:
    """Register one blueprint per feature, and the navigation links they contribute."""
    from participate import blueprints
    from participate.web import RowIdConverter

    # Ids in addresses are row ids: a number no row can have is "not found", not a database error.
    app.url_map.converters["int"] = RowIdConverter

    modules = blueprints.discover()
    for module in modules:
        app.register_blueprint(module.bp)
    app.config["NAV_ITEMS"] = blueprints.nav_items(modules)
