"""`homecoming damage ...`: the damage register, the needs estimate and the works it proposes (issue 9)."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from homecoming.cli.database import current_database
from homecoming.cli.output import cli_actor, console, user_errors
from homecoming.cli.validation import build
from homecoming.config import get_settings
from homecoming.damage import actions as damage_actions
from homecoming.damage import service as damage
from homecoming.damage.costs import DEFAULT_TABLE
from homecoming.damage.models import AssessmentMethod, DamageLevel, ObjectKind
from homecoming.damage.needs import NeedsEstimate
from homecoming.damage.schemas import DamageCountCreate, DamagedObjectCreate
from homecoming.db import unit_of_work
from homecoming.errors import RuleViolation
from homecoming.interchange import actions as interchange_actions
from homecoming.jobs.service import utcnow

app = typer.Typer(
    help="What was destroyed, what it costs to rebuild, and the works that rebuild it.", no_args_is_help=True
)


class GroupBy(StrEnum):
    LINE = "line"
    SETTLEMENT = "settlement"
    DISTRICT = "district"
    SECTOR = "sector"


DISTRICT = typer.Option(None, "--district", help="Only this district (code).")
SETTLEMENT = typer.Option(None, "--settlement", help="Only this settlement (code).")
COSTS = typer.Option(
    None, "--costs", help="Cost table CSV (kind, level, sector, unit, unit_cost, currency); default: the shipped one."
)
UPLIFT = typer.Option(None, "--uplift", help="Build-back-better uplift as a share (0.10 = +10%).")
ON = typer.Option(None, "--on", help="Price on this date (YYYY-MM-DD): the price lists in force then; default today.")


@app.command("add")
def add(
    code: str = typer.Argument(..., help="Stable code of the object, e.g. zabukh-house-12."),
    settlement: str = typer.Option(..., "--settlement", help="Settlement code."),
    kind: ObjectKind = typer.Option(..., "--kind"),
    level: DamageLevel = typer.Option(..., "--level", help="Damage level (PDNA scale)."),
    method: AssessmentMethod = typer.Option(..., "--method", help="How the damage was assessed."),
    quantity: float = typer.Option(1.0, "--quantity", help="In the cost table's unit for the kind (km for roads)."),
    name: str | None = typer.Option(None, "--name"),
    lat: float | None = typer.Option(None, "--lat"),
    lon: float | None = typer.Option(None, "--lon"),
    footprint: Path | None = typer.Option(None, "--footprint", help="A file holding a GeoJSON geometry."),
    assessed_on: str | None = typer.Option(None, "--assessed-on", help="YYYY-MM-DD"),
    assessor: str | None = typer.Option(None, "--assessor"),
    notes: str | None = typer.Option(None, "--notes"),
    source_url: str | None = typer.Option(None, "--source-url"),
) -> None:
    """Record one damaged object (a house, a school, a road segment, ...)."""
    with user_errors():
        data = build(
            DamagedObjectCreate,
            "damage.invalid_object",
            code=code,
            settlement_code=settlement,
            kind=kind,
            level=level,
            method=method,
            quantity=quantity,
            name=name,
            lat=lat,
            lon=lon,
            footprint_geojson=_geometry(footprint),
            assessed_on=_date(assessed_on),
            assessor=assessor,
            notes=notes,
            source_url=source_url,
        )
        with unit_of_work(current_database()) as session:
            record = damage_actions.add_object(session, cli_actor(), data)
            console.print(f"Recorded {record.code}: {record.kind} in {settlement}, {record.level}")


@app.command("count")
def count(
    settlement: str = typer.Argument(..., help="Settlement code."),
    kind: ObjectKind = typer.Option(..., "--kind"),
    level: DamageLevel = typer.Option(..., "--level", help="Damage level (PDNA scale)."),
    quantity: float = typer.Option(..., "--quantity", help="How many (in the cost table's unit: km for roads)."),
    method: AssessmentMethod = typer.Option(..., "--method", help="How the damage was assessed."),
    assessed_on: str | None = typer.Option(None, "--assessed-on", help="YYYY-MM-DD"),
    assessor: str | None = typer.Option(None, "--assessor"),
    notes: str | None = typer.Option(None, "--notes"),
    source_url: str | None = typer.Option(None, "--source-url"),
) -> None:
    """Record (or replace) the bulk count of one kind at one damage level in a settlement (until objects are
    surveyed)."""
    with user_errors():
        data = build(
            DamageCountCreate,
            "damage.invalid_count",
            settlement_code=settlement,
            kind=kind,
            level=level,
            quantity=quantity,
            method=method,
            assessed_on=_date(assessed_on),
            assessor=assessor,
            notes=notes,
            source_url=source_url,
        )
        with unit_of_work(current_database()) as session:
            record = damage_actions.set_count(session, cli_actor(), data)
            console.print(f"Recorded {record.quantity:g} {record.kind} in {settlement}, {record.level}")


@app.command("import")
def import_counts(
    file: Path = typer.Argument(..., help="A .csv or .xlsx file."),
    objects: bool = typer.Option(False, "--objects", help="The file lists damaged objects, not bulk counts."),
) -> None:
    """Import bulk damage counts (or, with --objects, damaged objects): all rows or none, every bad row listed."""
    table = "damaged_objects" if objects else "damage_counts"
    with user_errors():
        engine = current_database()
        with unit_of_work(engine) as session:  # one audit entry for the whole file, as `homecoming import` writes
            report = interchange_actions.import_table(session, cli_actor(session), table, file, now=utcnow())
    console.print(
        f"{report.table}: {report.rows:,} rows read — {report.inserted:,} added, {report.updated:,} updated, "
        f"{report.unchanged:,} unchanged"
    )


@app.command("summary")
def summary(district: str | None = DISTRICT, settlement: str | None = SETTLEMENT) -> None:
    """Damaged units per settlement and kind at each damage level, and where the figures come from."""
    with user_errors(), unit_of_work(current_database()) as session:
        quantities = damage.damage_quantities(session, district_code=district, settlement_code=settlement)
    levels = list(DamageLevel)
    rows: dict[tuple[str, str, str], dict[DamageLevel, float]] = {}
    for item in quantities:
        rows.setdefault((item.settlement_code, item.kind, item.basis), {})[item.level] = item.quantity
    table = Table("settlement", "kind", *levels, "from")
    for (settlement_code, kind, basis), by_level in sorted(rows.items()):
        table.add_row(settlement_code, kind, *(f"{by_level[lv]:g}" if lv in by_level else "" for lv in levels), basis)
    console.print(table)
    console.print("Object records replace the bulk counts of the same settlement and kind.")


@app.command("needs")
def needs(
    district: str | None = DISTRICT,
    settlement: str | None = SETTLEMENT,
    by: GroupBy = typer.Option(GroupBy.SETTLEMENT, "--by", help="How to total the estimate."),
    costs: Path | None = COSTS,
    uplift: float | None = UPLIFT,
    on: str | None = ON,
) -> None:
    """Estimate what rebuilding costs: damaged units x unit cost by damage level x build-back-better uplift."""
    with user_errors(), unit_of_work(current_database()) as session:
        estimate = _estimate(session, district, settlement, costs, uplift, _date(on))
    _print_estimate(estimate, by, costs)


@app.command("propose-works")
def propose_works(
    district: str | None = DISTRICT,
    settlement: str | None = SETTLEMENT,
    costs: Path | None = COSTS,
    uplift: float | None = UPLIFT,
    on: str | None = ON,
) -> None:
    """Turn the needs estimate into planned works: one project per settlement and sector, budget included."""
    with user_errors(), unit_of_work(current_database()) as session:
        estimate = _estimate(session, district, settlement, costs, uplift, _date(on))
        proposed = damage_actions.propose_works(session, cli_actor(), estimate)
    table = Table("project", "settlement", "sector", f"budget ({estimate.currency})", "action")
    for work in proposed:
        table.add_row(work.project_code, work.settlement_code, work.sector, f"{work.budget_amount:,.2f}", work.action)
    console.print(table)
    sources = "; ".join(estimate.sources()) or "none"
    console.print(f"{len(proposed)} proposed works; unit costs from {sources}")
    if estimate.from_cost_table:
        console.print(f"Cost table: {_table_label(estimate, costs)}")


@app.command("attach")
def attach(
    code: str = typer.Argument(..., help="Code of the damaged object."),
    file: Path = typer.Argument(..., help="A photograph (.jpg, .png) or a document (.pdf)."),
    caption: str | None = typer.Option(None, "--caption"),
) -> None:
    """Attach a photograph or document to a damaged object (checked from its content; geotag kept private)."""
    with user_errors(), unit_of_work(current_database()) as session:
        attachment = damage_actions.attach_to_object(session, cli_actor(), code, file, caption=caption)
        geotag = ""
        if attachment.geotag_lat is not None:
            geotag = f"geotag {attachment.geotag_lat}, {attachment.geotag_lon} kept in the record; "
        public = attachment.public_path or "none (documents stay private)"
        console.print(f"Stored {attachment.media_type}, sha256 {attachment.sha256}; {geotag}public copy: {public}")


def _estimate(
    session: Session,
    district: str | None,
    settlement: str | None,
    costs: Path | None,
    uplift: float | None,
    on: dt.date | None = None,
) -> NeedsEstimate:
    settings = get_settings()
    chosen = uplift if uplift is not None else settings.build_back_better_uplift
    return damage.needs_estimate(
        session,
        uplift=chosen,
        cost_file=costs or settings.unit_costs_file,
        district_code=district,
        settlement_code=settlement,
        on=on,
    )


def _print_estimate(estimate: NeedsEstimate, by: GroupBy, costs: Path | None) -> None:
    money = f"cost ({estimate.currency})"
    if by == GroupBy.LINE:
        table = Table(
            "district", "settlement", "sector", "kind", "level", "quantity", "unit cost", money, "basis", "cost from"
        )
        for line in estimate.lines:
            quantity, unit_cost, cost = f"{line.quantity:g} {line.unit}", f"{line.unit_cost:,.2f}", f"{line.cost:,.2f}"
            table.add_row(
                line.district_code,
                line.settlement_code,
                line.sector,
                line.kind,
                line.level,
                quantity,
                unit_cost,
                cost,
                line.basis,
                line.cost_reference,
            )
        table.add_row("[bold]total", *[""] * 6, f"[bold]{estimate.total:,.2f}", "", "")
    else:
        totals = {
            GroupBy.SETTLEMENT: estimate.by_settlement,
            GroupBy.DISTRICT: estimate.by_district,
            GroupBy.SECTOR: estimate.by_sector,
        }[by]()
        table = Table(str(by), money)
        for name, value in totals.items():
            table.add_row(name, f"{value:,.2f}")
        table.add_row("[bold]total", f"[bold]{estimate.total:,.2f}")
    console.print(table)
    console.print(f"Build-back-better uplift {estimate.uplift:.0%}; priced on {estimate.on or 'no date'}. Unit costs:")
    for reference, lines in estimate.sources().items():
        console.print(f"  {lines} line(s) from {reference}")
    if estimate.from_cost_table:
        console.print(f"Cost table: {_table_label(estimate, costs)}")
    console.print("Object-level records replace bulk counts of the same settlement and kind.")


def _table_label(estimate: NeedsEstimate, costs: Path | None) -> str:
    configured = costs or get_settings().unit_costs_file
    if configured is None or configured.resolve() == DEFAULT_TABLE.resolve():
        return f"{estimate.cost_table} [bold yellow](ASSUMPTION: placeholder figures, not prices)[/bold yellow]"
    return str(configured)


def _geometry(path: Path | None) -> dict[str, object] | None:
    if path is None:
        return None
    try:
        geometry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise RuleViolation("damage.bad_footprint", f"{path}: not a readable GeoJSON file ({exc})") from None
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    return geometry if isinstance(geometry, dict) else {"type": type(geometry).__name__}


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"expected a date as YYYY-MM-DD, got {text!r}") from None
