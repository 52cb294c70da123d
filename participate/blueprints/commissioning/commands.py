"""`flask --app participate export-ocds`: the commissioning record as an OCDS release package."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click
from flask import current_app

from participate.blueprints.commissioning import bp
from participate.services import commissioning_ocds
from participate.services.commissioning_export import ocds_package


def _addresses(base_url: str | None):
    """A request context for page addresses: --base-url, else SERVER_NAME, else http://localhost."""
    if base_url:
        return current_app.test_request_context("/", base_url=base_url)
    if current_app.config.get("SERVER_NAME"):
        return contextlib.nullcontext()
    return current_app.test_request_context("/")


@bp.cli.command("export-ocds")
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the package to this file."
)
@click.option(
    "--base-url",
    help="The site's address for links, e.g. https://participate.example.org (default: SERVER_NAME).",
)
def export_ocds_command(output: Path | None, base_url: str | None) -> None:
    """Write every commissioning decision as an OCDS 1.1 release package (to standard output)."""
    with _addresses(base_url):
        text = commissioning_ocds.dumps(ocds_package())
    if output is None:
        click.echo(text)
        return
    output.write_text(text + "\n", encoding="utf-8")
    click.echo(f"Wrote {output}.", err=True)
