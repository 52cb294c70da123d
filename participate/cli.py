"""Command-line tools: `flask --app participate <command>`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import select

from participate import PROJECT_ROOT, TRANSLATIONS_DIR
from participate.extensions import db
from participate.models import Role, Ward


def init_app(app: Flask) -> None:
    """Register every command."""
    from participate.cli_voting import COMMANDS as VOTING_COMMANDS

    for command in (
        import_wards_command,
        create_user_command,
        send_mail_command,
        demo_command,
        purge_command,
        *VOTING_COMMANDS,
    ):
        app.cli.add_command(command)
    app.cli.add_command(translate)


@click.command("import-wards")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--set", "boundary_set", help="Only the rows of this boundary set (default: the newest).")
@click.option("--retire-missing", is_flag=True, help="Stop offering wards the file no longer lists.")
def import_wards_command(path: Path, boundary_set: str | None, retire_missing: bool) -> None:
    """Load wards (name and ONS code) from a CSV file."""
    from participate.services.wards import WardFileError, import_wards

    try:
        result = import_wards(path, boundary_set, retire_missing)
    except WardFileError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    label = f" (boundary set {result.boundary_set})" if result.boundary_set else ""
    click.echo(
        f"{len(result.created)} wards created, {len(result.updated)} updated, "
        f"{len(result.retired)} retired{label}."
    )


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role] + ["resident"]), default="resident")
@click.option("--ward", "wards", multiple=True, help="ONS code; repeat for a councillor of several.")
@click.option("--password", help="Without it the user signs in after a password reset.")
@click.option("--name", "display_name", help="Display name (default: the part before @).")
@click.option("--verified", is_flag=True, help="Mark the email address (and ward) as confirmed.")
def create_user_command(email, role, wards, password, display_name, verified) -> None:
    """Create an account, optionally with a role."""
    from participate.passwords import password_problem
    from participate.services import accounts

    if accounts.email_taken(email):
        raise click.ClickException(f"an account with {email} already exists")
    found = []
    for code in wards:
        ward = db.session.scalar(select(Ward).where(Ward.code == code.upper()))
        if ward is None:
            raise click.ClickException(f"no ward with the code {code}")
        found.append(ward)
    if role == Role.COUNCILLOR.value and not found:
        raise click.ClickException("a councillor needs at least one --ward")
    if password is not None and (problem := password_problem(password, [email])):
        raise click.ClickException(
            {
                "too_short": "the password needs at least "
                f"{current_app.config['PASSWORD_MIN_LENGTH']} characters",
                "too_common": "the password is too easy to guess",
            }[problem]
        )
    user = accounts.create_user(
        email=email,
        display_name=display_name,
        password=password,
        role=role,
        wards=found,
        verified=verified,
    )
    db.session.commit()
    click.echo(f"Created user {user.id} <{user.email}> as {role}.")


@click.command("send-mail")
@click.option("--batch", default=50, show_default=True, help="Messages to claim at a time.")
@click.option("--loop", is_flag=True, help="Keep going until the outbox is empty.")
def send_mail_command(batch: int, loop: bool) -> None:
    """Send the mail that is due; failures are retried later with backoff."""
    from participate.services.mail import send_due

    totals = {"sent": 0, "retry": 0, "failed": 0}
    while True:
        counts = send_due(batch, echo=click.echo)
        for key, value in counts.items():
            totals[key] += value
        if not loop or sum(counts.values()) == 0:
            break
    click.echo(
        f"{totals['sent']} sent, {totals['retry']} to retry later, {totals['failed']} given up.",
        err=True,
    )


@click.command("demo")
def demo_command() -> None:
    """Bring the database to the latest migration and load Lambeth's wards and a demo data set."""
    from flask_migrate import upgrade

    from participate.demo import run

    upgrade(directory=str(PROJECT_ROOT / "migrations"))
    run(echo=click.echo)


@click.command("purge")
def purge_command() -> None:
    """Remove what the retention rules say to remove (run it daily from cron)."""
    from participate.audit import record
    from participate.services.privacy import purge

    counts = purge()
    record("purge", details=counts)
    db.session.commit()
    for what, n in counts.items():
        click.echo(f"{n} {what} removed.")


@click.group()
def translate() -> None:
    """Extract, update and compile the translation catalogues."""


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=PROJECT_ROOT)


@translate.command("update")
def translate_update() -> None:
    """Extract every string into messages.pot and merge it into each language's catalogue."""
    pot = TRANSLATIONS_DIR / "messages.pot"
    _pybabel(
        "extract",
        "-F",
        str(PROJECT_ROOT / "babel.cfg"),
        "-k",
        "_l",
        "--no-wrap",
        "--sort-by-file",
        "-o",
        str(pot),
        "--project",
        "participate",
        "participate",
    )
    for code in current_app.config["LANGUAGES"]:
        if code == "en":
            continue
        po = TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po"
        if po.exists():
            _pybabel(
                "update",
                "-i",
                str(pot),
                "-d",
                str(TRANSLATIONS_DIR),
                "-l",
                code,
                "--no-wrap",
                "--ignore-obsolete",
                "--no-fuzzy-matching",
            )
        else:
            _pybabel("init", "-i", str(pot), "-d", str(TRANSLATIONS_DIR), "-l", code, "--no-wrap")


@translate.command("compile")
def translate_compile() -> None:
    """Compile every catalogue (the app also does this at start-up when needed)."""
    from participate.catalogues import compile_catalogues

    for path in compile_catalogues(TRANSLATIONS_DIR):
        click.echo(f"compiled {path.relative_to(PROJECT_ROOT)}")
