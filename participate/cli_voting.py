"""Voting commands: `tally`, `import-pabulib` and `export-pabulib`."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import click
from flask import current_app

from participate.extensions import db
from participate.models import Consultation


def _consultation(consultation_id: int) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        raise click.ClickException(f"no consultation with the id {consultation_id}")
    return consultation


def _addresses():
    """A request context for building page addresses (SERVER_NAME gives the real host)."""
    if current_app.config.get("SERVER_NAME"):
        return contextlib.nullcontext()
    return current_app.test_request_context("/")


@click.command("tally")
@click.argument("consultation_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
def tally_command(consultation_id: int, fmt: str) -> None:
    """Print the result of a consultation: the stored result once closed, else the count so far."""
    from participate.blueprints.voting.results import result_csv
    from participate.services.results import result_for, with_addresses

    consultation = _consultation(consultation_id)
    with _addresses():
        document = with_addresses(result_for(consultation))
    if fmt == "csv":
        click.echo(result_csv(document), nl=False)
    else:
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))


@click.command("import-pabulib")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_pabulib_command(path: Path) -> None:
    """Create a closed consultation from a Pabulib file; its id is printed on the last line."""
    from participate.services.pabulib_io import PabulibRefused, import_file
    from participate.voting.pabulib import PabulibError, load

    def progress(message: str) -> None:
        click.echo(message, err=True)

    try:
        progress(f"Reading {path.name}…")
        data = load(path)
        consultation = import_file(data, source=path.name, echo=progress)
    except (PabulibError, PabulibRefused) as exc:
        db.session.rollback()
        raise click.ClickException(f"{path.name} was not imported: {exc}") from exc
    db.session.commit()
    progress(f"Imported {path.name} as consultation {consultation.id}: {consultation.title}")
    click.echo(consultation.id)


@click.command("export-pabulib")
@click.argument("consultation_id", type=int)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not to stdout.")
def export_pabulib_command(consultation_id: int, output: Path | None) -> None:
    """Write a consultation's projects and ballots (voters named by receipt) as a Pabulib file."""
    from participate.services.pabulib_io import PabulibRefused, export_file
    from participate.voting.pabulib import dumps

    consultation = _consultation(consultation_id)
    try:
        text = dumps(export_file(consultation, current_app.config.get("COUNCIL_NAME", "")))
    except PabulibRefused as exc:
        raise click.ClickException(str(exc)) from exc
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}", err=True)
    else:
        sys.stdout.write(text)


COMMANDS = (tally_command, import_pabulib_command, export_pabulib_command)
