"""`flask --app participate send-reminders`: queue the day-before reminders (run it from cron)."""

from __future__ import annotations

import contextlib

import click
from flask import current_app

from participate.blueprints.champions import bp
from participate.extensions import db
from participate.services import events


@bp.cli.command("send-reminders")
@click.option(
    "--base-url",
    help="The site's address for links in the mail, e.g. https://participate.example.org "
    "(default: from SERVER_NAME; without either the mail goes without a link).",
)
def send_reminders_command(base_url: str | None) -> None:
    """Queue a reminder for everyone with a place at an event starting by the end of tomorrow.

    Safe to run as often as you like: each person is reminded once per event. `send-mail`
    then delivers the reminders.
    """
    context = (
        current_app.test_request_context("/", base_url=base_url) if base_url else contextlib.nullcontext()
    )
    with context:
        queued = events.queue_reminders()
        db.session.commit()
    click.echo(f"{queued} reminders queued.")
