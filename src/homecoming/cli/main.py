"""The `homecoming` command: one Typer app, one module per command group, each imported only when it runs.

The one convention for a quick command line: this module names every command with the module that holds it and
its one-line help (`COMMANDS`), and imports nothing else of Homecoming but the commands' clock (`clock`).
`homecoming --help` lists the commands from that table; only the command a user runs has its module imported
(`_LazyGroup.resolve_command`). So the solvers (OR-Tools, HiGHS, Numba, Dask) and the web stack (FastAPI,
Starlette, Jinja2, uvicorn) are imported by the commands that use them and by no other: `homecoming admin create`
never pays for OR-Tools. A new command is one row in `COMMANDS`; a test checks each row's help against the
command's own docstring, and that importing this module imports no solver or web package.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

import typer
from typer import _click as click  # Typer 0.29 carries its own Click; its groups take these types
from typer._coercion import PassThroughRuntimeParam
from typer.core import TyperCommand, TyperGroup

from homecoming.cli import acting, clock

# name -> ("module:attribute", the command's one-line help); the attribute is a command function or a Typer group.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("database:init", "Create the database, or upgrade it to the newest schema "
             "(as HOMECOMING_MIGRATION_DATABASE_URL's role if set)."),
    "demo": ("demo:demo", "Build a fresh demo database: Karabakh reference facts, a synthetic registry and an "
             "illustrative layer."),
    "import": ("registry:import_table", "Import a registry table from CSV or XLSX (or GeoJSON, for outlines): all "
               "rows or none, every bad row listed."),
    "export": ("registry:export_table", "Export a registry table to CSV or XLSX, in the shape `homecoming import` "
               "reads back."),
    "households": ("households:app", "The people of the registry: members, duplicate search and review, return "
                   "confirmations."),
    "readiness": ("readiness:readiness", "Is each settlement ready for its people to come home? If not, what is "
                  "missing."),
    "mine": ("mine:app", "Mine action: clearance priorities and what hazards block."),
    "plan": ("plan:app", "Plan the works and the return: when each settlement is ready, who goes home when."),
    "sequence": ("sequence:app", "Order the works so that the most people get home soonest."),
    "allocate": ("allocate:app", "Decide which household moves into which house, when, on which convoy."),
    "damage": ("damage:app", "What was destroyed, what it costs to rebuild, and the works that rebuild it."),
    "heritage": ("heritage:app", "Heritage sites: the object, its condition and its restoration."),
    "grievances": ("grievances:app", "Grievances and feedback: list, answer in the open, escalate the overdue."),
    "odk": ("odk:app", "Field data: ODK Collect / KoboToolbox forms and their exports."),
    "tender": ("tender:app", "Tenders with sealed bids, contracts paid on inspected milestones, prices."),
    "committee": ("committee:app", "The bid-opening committee: members' own keys, their sealed shares."),
    "serve": ("serve:serve", "Serve the API (/api; its OpenAPI document at /openapi.json) and the dashboard pages "
              "with uvicorn."),
    "worker": ("worker:worker", "Run queued jobs until stopped; several workers share the queue through the jobs "
               "table."),
    "risk": ("risk:risk", "Sample task durations, re-time the plan under each scenario, store the bands with the plan "
             "run."),
    "risk-export": ("risk:risk_export", "Write the latest risk run of a plan run as JSON or CSV."),
    "sweep": ("sweep:sweep", "Re-solve the plan for every variant; compare people-months displaced, people home by "
              "year, target year."),
    "admin": ("admin:app", "Accounts: create the first admin, then others (or use the API as an admin); unlock, "
              "deactivate, set a new password, revoke sessions and tokens."),
    "audit": ("audit:app", "The audit trail: check that no entry was changed, removed or moved."),
    "backup": ("backup:backup", "Back up the database and the stored files into one file, with a manifest of "
               "checksums."),
    "restore": ("backup:restore", "Check a backup whole, then restore its database and files; refuses a database "
                "holding rows without --force."),
}  # fmt: skip


def load_command(name: str) -> click.Command:
    """The real command `name`: its module imported now, a Typer group or function turned into a Click command."""
    module_name, attribute = COMMANDS[name][0].split(":")
    target = getattr(importlib.import_module(f"homecoming.cli.{module_name}"), attribute)
    if isinstance(target, typer.Typer):
        command: click.Command = typer.main.get_group(target)
    else:
        single = typer.Typer(add_completion=False)
        single.command(name)(target)
        command = typer.main.get_command(single)
    command.name = name
    _plain_help(command)
    return command


def _plain_help(command: click.Command) -> None:
    """Help in Click's plain layout: Typer's Rich layout imports Rich's Markdown and Pygments (most of a second),
    which `homecoming admin --help` should not wait for. Errors and tracebacks keep Rich."""
    if hasattr(command, "rich_markup_mode"):
        command.rich_markup_mode = None
    _uncoerced_help_flag(command.get_help_option(click.Context(command)))
    for sub in getattr(command, "commands", {}).values():
        _plain_help(sub)


def _uncoerced_help_flag(option: Any) -> None:
    """Typer coerces an option's value through a Pydantic adapter unless it is already a bool, and a `--help` not
    given is None: building that adapter for the group's help flag imported Pydantic for every command run under it
    (a third of a second of `homecoming admin --help`). A flag, given or not, needs no coercion."""
    if option is not None and option._runtime_param is None:
        described = option.type_descriptor
        option._runtime_param = PassThroughRuntimeParam(described.parameter_info, described.annotation)


def take_acting_as(args: list[str]) -> tuple[list[str], str | None]:
    """`--as USER` / `--as=USER` given before the command's name, taken out of the arguments.

    Read here rather than as a Typer option: Typer builds a Pydantic adapter to read any option of its own, which
    would cost `homecoming admin --help` a third of a second."""
    rest, name, at = list(args), None, 0
    while at < len(rest) and rest[at].startswith("-"):
        if rest[at] == "--as" and at + 1 < len(rest):
            name = rest[at + 1]
            del rest[at : at + 2]
        elif rest[at].startswith("--as="):
            name = rest.pop(at).removeprefix("--as=")
        else:
            at += 1
    return rest, name


class _LazyGroup(TyperGroup):
    """Lists the commands from `COMMANDS` as stand-ins (a name and a help line); imports only the one that runs."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = {name: TyperCommand(name, help=help_line) for name, (_, help_line) in COMMANDS.items()}

    def main(self, *args: Any, **kwargs: Any) -> Any:
        clock.command_started()
        return super().main(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> Any:
        option = super().get_help_option(ctx)
        _uncoerced_help_flag(option)
        return option

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        rest, name = take_acting_as(args)
        acting.choose(name if name is not None else os.environ.get(acting.ENV))
        return super().parse_args(ctx, rest)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if name is None or command is None:
            return name, command, rest
        return name, load_command(name), rest


app = typer.Typer(
    name="homecoming",
    help="Plan and track the recovery of war-damaged territories and the return of displaced families.\n\n"
    "A command acts as the account named by --as USER (before the command: homecoming --as USER COMMAND ...) or "
    f"{acting.ENV}; the audit trail names it. Admin commands need an admin account.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: see _plain_help
    add_completion=False,  # its two options would cost every command a Pydantic import (see ACTING_AS)
    cls=_LazyGroup,
)


@app.callback()
def _owner_only() -> None:
    """Every file a command writes (database, exports, backups, attachments) is readable by its owner only."""
    os.umask(0o077)


def run() -> None:
    """The `homecoming` program (its console script and `python -m homecoming`): a time limit counts from the
    process's start."""
    clock.process_started()
    app(prog_name="homecoming")
