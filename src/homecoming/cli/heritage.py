"""`homecoming heritage ...`: heritage sites, their condition and their restoration (issue 9)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from homecoming.cli.database import current_database
from homecoming.cli.output import cli_actor, console, user_errors
from homecoming.cli.validation import build
from homecoming.db import unit_of_work
from homecoming.heritage import actions as heritage_actions
from homecoming.heritage import service as heritage
from homecoming.heritage.models import Condition, HeritageCategory
from homecoming.heritage.schemas import HeritageSiteCreate, HeritageSitePage

app = typer.Typer(help="Heritage sites: the object, its condition and its restoration.", no_args_is_help=True)


@app.command("list")
def list_sites(
    district: str | None = typer.Option(None, "--district", help="Only this district (code)."),
    category: HeritageCategory | None = typer.Option(None, "--category"),
) -> None:
    """List heritage sites with their condition and source."""
    with user_errors(), unit_of_work(current_database()) as session:
        sites = heritage.list_sites(session, district_code=district, category=category)
        table = Table("code", "name", "category", "period", "condition before → after", "source")
        for site in sites:
            condition = f"{site.condition_before or '?'} → {site.condition_after or '?'}"
            table.add_row(
                site.code, site.name_latin, site.category, site.period or "", condition, site.source_url or ""
            )
    console.print(table)
    console.print(f"{len(sites)} heritage site(s); ? = not recorded")


@app.command("show")
def show(code: str = typer.Argument(..., help="Code of the heritage site.")) -> None:
    """The site page: names, category, period, protection, condition, damage, restoration works, sources."""
    with user_errors(), unit_of_work(current_database()) as session:
        page = heritage.site_page(session, code)
    _print_page(page)


@app.command("add")
def add(
    code: str = typer.Argument(..., help="Stable code, e.g. aghdam-juma-mosque."),
    name_latin: str = typer.Option(..., "--name-latin", help="Name in the Latin script."),
    category: HeritageCategory = typer.Option(..., "--category"),
    name_local: str | None = typer.Option(None, "--name-local", help="Name in the local script."),
    period: str | None = typer.Option(None, "--period"),
    settlement: str | None = typer.Option(None, "--settlement", help="Settlement code."),
    district: str | None = typer.Option(None, "--district", help="District code (taken from the settlement if given)."),
    lat: float | None = typer.Option(None, "--lat"),
    lon: float | None = typer.Option(None, "--lon"),
    protection_status: str | None = typer.Option(None, "--protection-status"),
    condition_before: Condition | None = typer.Option(None, "--condition-before"),
    condition_after: Condition | None = typer.Option(None, "--condition-after"),
    documented_damage: str | None = typer.Option(None, "--documented-damage"),
    notes: str | None = typer.Option(None, "--notes"),
    source_url: str | None = typer.Option(None, "--source-url"),
) -> None:
    """Record a heritage site."""
    with user_errors():
        data = build(
            HeritageSiteCreate,
            "heritage.invalid_site",
            code=code,
            name_latin=name_latin,
            name_local=name_local,
            category=category,
            period=period,
            settlement_code=settlement,
            district_code=district,
            lat=lat,
            lon=lon,
            protection_status=protection_status,
            condition_before=condition_before,
            condition_after=condition_after,
            documented_damage=documented_damage,
            notes=notes,
            source_url=source_url,
        )
        with unit_of_work(current_database()) as session:
            site = heritage_actions.create_site(session, cli_actor(), data)
            console.print(f"Recorded heritage site {site.code}: {site.name_latin} ({site.category})")


@app.command("link")
def link(
    code: str = typer.Argument(..., help="Code of the heritage site."),
    project: str = typer.Argument(..., help="Code of the works project that restores it."),
) -> None:
    """Link a restoration project of the works registry to a heritage site."""
    with user_errors(), unit_of_work(current_database()) as session:
        heritage_actions.link_restoration(session, cli_actor(), code, project)
    console.print(f"{project} restores {code}")


@app.command("attach")
def attach(
    code: str = typer.Argument(..., help="Code of the heritage site."),
    file: Path = typer.Argument(..., help="A photograph (.jpg, .png) or a document (.pdf)."),
    caption: str | None = typer.Option(None, "--caption"),
) -> None:
    """Attach a photograph or document to a heritage site (checked from its content; geotag kept private)."""
    with user_errors(), unit_of_work(current_database()) as session:
        attachment = heritage_actions.attach_to_site(session, cli_actor(), code, file, caption=caption)
        console.print(f"Stored {attachment.media_type}, sha256 {attachment.sha256}")


def _print_page(page: HeritageSitePage) -> None:
    console.rule(f"[bold]{page.name_latin}" + (f" / {page.name_local}" if page.name_local else ""))
    place = ", ".join(p for p in (page.settlement, page.district) if p) or "not recorded"
    located = f" ({page.lat}, {page.lon})" if page.lat is not None else ""
    for label, value in (
        ("code", page.code),
        ("category", str(page.category)),
        ("period", page.period),
        ("place", place + located),
        ("protection status", page.protection_status),
        ("condition before", page.condition_before),
        ("condition after", page.condition_after),
        ("documented damage", page.documented_damage),
        ("notes", page.notes),
        ("source", " ".join(str(s) for s in (page.source_url, page.source_date) if s)),
        ("photographs and documents", f"{page.attachments} ({len(page.public_files)} public)"),
    ):
        console.print(f"[bold]{label}:[/bold] {value if value else 'not recorded'}")
    if not page.restoration:
        console.print("[bold]restoration works:[/bold] none linked")
        return
    table = Table("project", "name", "status", "progress", "budget", title="Restoration works", title_justify="left")
    for work in page.restoration:
        budget = f"{work.budget_amount:,.2f} {work.budget_currency or ''}" if work.budget_amount is not None else ""
        table.add_row(work.code, work.name, work.status, f"{work.progress_pct:g}%", budget)
    console.print(table)
