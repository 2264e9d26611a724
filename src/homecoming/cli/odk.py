"""`homecoming odk ...`: the field forms as files, and ODK Central / KoboToolbox exports into the review queue."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from homecoming.cli.database import current_database
from homecoming.cli.output import cli_actor, console, user_errors
from homecoming.config import get_settings
from homecoming.db import unit_of_work
from homecoming.fielddata import actions
from homecoming.files.service import default_store
from homecoming.jobs.service import utcnow

app = typer.Typer(help="Field data: ODK Collect / KoboToolbox forms and their exports.", no_args_is_help=True)


class ExportKind(StrEnum):
    CENTRAL = "central"
    KOBO = "kobo"


@app.command("forms")
def forms(out: Path = typer.Option(..., "--out", help="Folder to write <form>.xlsx and <form>.xml into.")) -> None:
    """Write every field form as XLSForm (.xlsx) and XForm (.xml), built from the registry's lists."""
    from homecoming.fielddata.forms import build_forms  # pyxform: only for this command

    with user_errors(), unit_of_work(current_database()) as session:
        built = build_forms(session)
        out.mkdir(parents=True, exist_ok=True)
        for form in built:
            if not form.ready:
                console.print(f"{form.form_id}: skipped, a choice list is empty (no hazard areas yet?)")
                continue
            (out / f"{form.form_id}.xlsx").write_bytes(form.xlsx())
            (out / f"{form.form_id}.xml").write_text(form.xform(), encoding="utf-8")
            console.print(f"{form.form_id}: version {form.version} -> {out / form.form_id}.xlsx, .xml")


@app.command("import")
def import_export(
    file: Path = typer.Argument(..., help="Central: <form>.csv or its .zip with media/. Kobo: .json or a .zip."),
    kind: ExportKind = typer.Option(..., "--from", help="Which server made the export."),
    form: str | None = typer.Option(None, "--form", help="The form id (Central: default the CSV's name)."),
    version: str | None = typer.Option(None, "--version", help="Kobo: the form version (default each record's)."),
) -> None:
    """Import an export into the review queue: every submission or none, every refused row listed."""
    settings = get_settings()
    with user_errors():
        content, store, most = file.read_bytes(), default_store(settings), settings.max_file_bytes
        with unit_of_work(current_database()) as session:
            actor = cli_actor(session)
            if kind == ExportKind.CENTRAL:
                added = actions.import_central_export(session, actor, file.name, content, form_id=form, now=utcnow(),
                                                      store=store, max_file_bytes=most)  # fmt: skip
            else:
                if form is None:
                    raise typer.BadParameter("a Kobo export needs --form (the form id)")
                added = actions.import_kobo_export(session, actor, file.name, content, form_id=form, version=version,
                                                   now=utcnow(), store=store, max_file_bytes=most)  # fmt: skip
    console.print(f"{file.name}: {len(added):,} submissions added to the review queue")
