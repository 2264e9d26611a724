"""The `homecoming` command: one Typer app, one module per command group."""

from __future__ import annotations

import os

import typer

from homecoming.cli import (
    admin,
    allocate,
    audit,
    backup,
    committee,
    damage,
    database,
    demo,
    heritage,
    mine,
    plan,
    readiness,
    registry,
    risk,
    sequence,
    serve,
    sweep,
    tender,
    worker,
)

app = typer.Typer(
    name="homecoming",
    help="Plan and track the recovery of war-damaged territories and the return of displaced families.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command("init")(database.init)
app.command("demo")(demo.demo)
app.command("import")(registry.import_table)
app.command("export")(registry.export_table)
app.command("readiness")(readiness.readiness)
app.add_typer(mine.app, name="mine")
app.add_typer(plan.app, name="plan")
app.add_typer(sequence.app, name="sequence")
app.add_typer(allocate.app, name="allocate")
app.add_typer(damage.app, name="damage")
app.add_typer(heritage.app, name="heritage")
app.add_typer(tender.app, name="tender")
app.add_typer(committee.app, name="committee")
app.command("serve")(serve.serve)
app.command("worker")(worker.worker)
app.command("risk")(risk.risk)
app.command("risk-export")(risk.risk_export)
app.command("sweep")(sweep.sweep)
app.add_typer(admin.app, name="admin")
app.add_typer(audit.app, name="audit")
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)


@app.callback()
def _owner_only() -> None:
    """Every file a command writes (database, exports, backups, attachments) is readable by its owner only."""
    os.umask(0o077)
