"""`homecoming tender ...`: tenders with sealed bids, contracts paid on inspection, price lists, red flags, OCDS.

Thin: parse, open a unit of work, call the procurement use-cases (`procurement.actions`, `contract_actions`) as
the command line's actor (each write leaves its audit entry), print. The server's clock decides deadlines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from rich.console import RenderableType
from rich.table import Table
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.cli import open_data, tender_changes
from homecoming.cli.database import current_database
from homecoming.cli.output import checked, cli_actor, console, user_errors
from homecoming.db import unit_of_work
from homecoming.errors import RuleViolation
from homecoming.procurement import (
    actions,
    committee,
    contract_actions,
    pricing,
    read_models,
    red_flags,
    reports,
    sealing,
    service,
)
from homecoming.procurement.schemas import (
    BidderCreate,
    BillOfQuantitiesCreate,
    BudgetChangeCreate,
    Committee,
    ContractCreate,
    InspectionCreate,
    PriceListCreate,
    TenderCreate,
)

app = typer.Typer(
    help="Tenders with sealed bids, contracts paid on inspected milestones, prices.", no_args_is_help=True
)
M = TypeVar("M", bound=BaseModel)
TenderVersion = Annotated[
    int | None,
    typer.Option(
        "--version", min=1, show_default=False,
        help="The tender's version you read (each change prints the new one; the API's `version`): refused with "
        "tenders.stale_version if the tender changed since. Omitted: whatever version is current.",
    ),
]  # fmt: skip


@contextmanager
def work() -> Iterator[Session]:
    with user_errors():
        engine = current_database()
        with unit_of_work(engine) as session:
            yield session


def now() -> dt.datetime:
    return service.server_now(service.utc_now)


def _load(model: type[M], path: Path) -> M:
    try:
        return model.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc'])) or '(file)'}: {e['msg']}" for e in exc.errors()]
        raise RuleViolation("input.invalid", f"{path.name}: {'; '.join(problems)}", {"errors": problems}) from None
    except OSError as exc:
        raise RuleViolation("input.unreadable", f"cannot read {path}: {exc.strerror}") from None


@app.command("bidder")
def add_bidder(code: str, name: str, category: str | None = typer.Option(None, help="e.g. local")) -> None:
    """Register a bidding company."""
    with work() as session:
        actions.register_bidder(session, cli_actor(), checked(BidderCreate, code=code, name=name, category=category))
    console.print(f"bidder {code} registered")


@app.command("create")
def create(file: Path = typer.Argument(..., help="A tender as JSON (see docs/formats.md)")) -> None:
    """Create a draft tender from a JSON file."""
    with work() as session:
        tender = actions.create_tender(session, cli_actor(), _load(TenderCreate, file))
    console.print(f"tender {tender.code} created as a draft (version {tender.version}); bids close "
                  f"{tender.tender_end:%Y-%m-%d %H:%M} UTC")  # fmt: skip


@app.command("publish")
def publish(
    code: str,
    member: list[str] = typer.Option(..., "--member", help="A registered committee member (repeat)"),
    threshold: int = typer.Option(..., help="How many members together can open the bids"),
    version: TenderVersion = None,
) -> None:
    """Publish: makes the tender's key pair and seals each member's share to the member's own key (none is shown)."""
    with work() as session:
        members = checked(Committee, members=member, threshold=threshold)
        seats = actions.publish_tender(session, cli_actor(), code, members, now=now(), version=version)
        tender = service.get_tender(session, code)
        fingerprint, now_at = sealing.key_fingerprint(tender.public_key or b""), tender.version
    console.print(f"tender {code} published (version {now_at}); bids are sealed to the key with fingerprint "
                  f"{fingerprint}")  # fmt: skip
    console.print(f"Opening committee ({threshold} of {len(member)} needed); each share is sealed to its member's key:")
    for seat in seats:
        console.print(f"  {seat.share_index}. {seat.member} (key {seat.member_key_fingerprint})")
    console.print("After the deadline each member runs `homecoming committee give --key KEY --tender " + code + "`.")


@app.command("close-enquiries")
def close_enquiries(code: str, version: TenderVersion = None) -> None:
    """End the enquiry period (only once its deadline has passed)."""
    with work() as session:
        now_at = actions.close_enquiries(session, cli_actor(), code, now=now(), version=version).version
    console.print(f"tender {code}: enquiries closed, tendering (version {now_at})")


@app.command("seal")
def seal(
    code: str, bidder: str, price: str, out: Path = typer.Option(..., help="Where to write the sealed bid")
) -> None:
    """What a bidder's client does: seal a price to the tender's public key (nothing is stored)."""
    with user_errors():
        try:
            amount = Decimal(price)
        except InvalidOperation:
            raise RuleViolation("input.invalid", f"price {price!r} is not a number") from None
        with unit_of_work(current_database()) as session:
            out.write_bytes(service.seal_price(session, code, bidder, amount))
            fingerprint = sealing.key_fingerprint(service.get_tender(session, code).public_key or b"")
    console.print(f"sealed bid written to {out} (sealed to the key with fingerprint {fingerprint})")


@app.command("bid")
def submit(code: str, bidder: str, sealed: Path) -> None:
    """Submit a sealed bid file; prints the receipt to keep."""
    with work() as session:
        seen = actions.submit_bid(session, cli_actor(), code, sealed.read_bytes(), bidder_code=bidder, now=now())
        receipt = seen.bid.receipt
    console.print(f"bid received. Receipt (SHA-256 of the sealed bid): {receipt}")


@app.command("bids")
def bids(code: str, bidder: str | None = typer.Option(None, "--as", help="Show as this bidder")) -> None:
    """The bids one may see (`actions.visible_bids`): as the public without --as (none before the opening), as
    that company with --as (its own, no price); from the opening on every bid with its price."""
    with work() as session:
        viewer = _company(session, bidder) if bidder is not None else None
        views = actions.visible_bids(session, viewer, code)
    table = Table("bidder", "receipt", "submitted (UTC)", "price", "status")
    for v in views:
        price = "" if v.price is None else f"{v.price:,.2f}"
        table.add_row(v.bidder.code, v.bid.receipt, f"{v.bid.submitted_at:%Y-%m-%d %H:%M:%S}", price, str(v.bid.status))
    console.print(table)


def _company(session: Session, bidder_code: str) -> User:
    """How a company sees the tender: a contractor account of that company (not stored)."""
    bidder = read_models.bidder_of_code(session, bidder_code)
    return User(username=f"bidder:{bidder.code}"[:64], role=Role.CONTRACTOR, bidder_id=bidder.id)


@app.command("open")
def open_bids(code: str, share: str = typer.Option(..., "--share", help="One member's share (see `committee unwrap`)")
              ) -> None:  # fmt: skip
    """Give one committee share after the deadline; the k-th opens every bid."""
    with work() as session:
        actor = cli_actor()
        report = opening_report(session, actor, actions.give_share(session, actor, code, share, now=now()))
    for part in report:
        console.print(part)


def opening_report(session: Session, actor: User, opening: committee.Opening) -> list[RenderableType]:
    """What the console shows after a share is given: the count so far, or the bids as the giver may see them
    (`actions.visible_bids`: from the opening on, every bid with its price)."""
    tender = opening.tender
    if tender.status.value in {"enquiries", "tendering"}:
        return [f"tender {tender.code}: {opening.given} of {opening.needed} shares given"]
    table = Table("bidder", "receipt", "price", "status")
    for seen in actions.visible_bids(session, actor, tender.code):
        price = "" if seen.price is None else f"{seen.price:,.2f}"
        table.add_row(seen.bidder.code, seen.bid.receipt[:16] + "…", price, str(seen.bid.status))
    return [
        table,
        f"tender {tender.code}: {tender.status}" + (f" ({tender.close_reason})" if tender.close_reason else ""),
    ]


@app.command("disqualify")
def disqualify(code: str, bidder: str, reason: str, version: TenderVersion = None) -> None:
    """Record that an opened bid fails a published qualification criterion."""
    with work() as session:
        actions.disqualify_bid(session, cli_actor(), code, bidder, reason, version=version)
    console.print(f"{bidder}'s bid in {code} disqualified: {reason}")


@app.command("evaluate")
def evaluate(code: str, version: TenderVersion = None) -> None:
    """Rank the qualified bids by evaluated price and print the evaluation report."""
    with work() as session:
        report = actions.evaluate(session, cli_actor(), code, now=now(), version=version)
        now_at = service.get_tender(session, code).version
    table = Table("rank", "bidder", "price", "preference", "evaluated", "flag", title=report.rule)
    for b in report.bids:
        flag = "abnormally low" if b.abnormally_low else (b.disqualification_reason or "")
        table.add_row(
            str(b.rank or "-"), b.bidder_code, f"{b.price:,.2f}",
            f"+{b.preference_adjustment:,.2f}" if b.preference_applied else "",
            f"{b.evaluated_price:,.2f}", flag,
        )  # fmt: skip
    console.print(table)
    console.print(f"tender {code} evaluated (version {now_at})")


@app.command("award")
def award(code: str, version: TenderVersion = None) -> None:
    """Award to the bid ranked first; the standstill starts (no signing before it ends)."""
    with work() as session:
        tender = actions.award(session, cli_actor(), code, now=now(), version=version)
        amount, currency, now_at, ends = tender.award_amount, tender.currency, tender.version, tender.standstill_ends_at
    console.print(f"tender {code} awarded at {amount:,.2f} {currency} (version {now_at})")
    if ends is not None:
        console.print(f"standstill until {ends:%Y-%m-%d %H:%M} UTC: bidders may complain; no signing before")


@app.command("cancel")
def cancel(code: str, reason: str, version: TenderVersion = None) -> None:
    """Cancel a tender before its contract is signed."""
    with work() as session:
        now_at = actions.cancel(session, cli_actor(), code, reason, now=now(), version=version).version
    console.print(f"tender {code} cancelled (version {now_at})")


@app.command("verify")
def verify(code: str, receipt: str) -> None:
    """A bidder checks that its sealed bid was opened unaltered."""
    with work() as session:
        check = actions.verify_receipt(session, cli_actor(), code, receipt)
    state = "opened" if check.opened else "still sealed"
    intact = "intact" if check.intact else "ALTERED"
    price = f", price {check.price:,.2f}" if check.price is not None else ""
    console.print(f"{check.bidder_code}'s bid in {code}: {intact}, {state}{price}")


@app.command("sign")
def sign(code: str, file: Path = typer.Argument(..., help="Contract code and milestones as JSON")) -> None:
    """Sign the contract of an awarded tender (within the budget allocation)."""
    with work() as session:
        contract = contract_actions.sign_contract(session, cli_actor(), code, _load(ContractCreate, file), now=now())
    console.print(f"contract {contract.code} signed: {contract.value:,.2f} {contract.currency}")


@app.command("budget-change")
def budget_change(
    code: str,
    allocation: str,
    amount_azn: float,
    reason: str = typer.Option(..., help="Why more may be committed"),
    approved_by: str = typer.Option(..., help="Who approved the change"),
) -> None:
    """Record an approved increase of what may be committed against a budget allocation."""
    with work() as session:
        data = checked(BudgetChangeCreate, code=code, budget_allocation_code=allocation, amount_azn=amount_azn,
                        reason=reason, approved_by=approved_by)  # fmt: skip
        contract_actions.record_budget_change(session, cli_actor(), data, now=now())
    console.print(f"{allocation}: {amount_azn:,.2f} AZN more may be committed (change {code})")


@app.command("inspect")
def inspect(contract: str, milestone: int, file: Path = typer.Argument(..., help="The inspection as JSON")) -> None:
    """Record a site inspection of a milestone; prints its number for the approval."""
    with work() as session:
        report = _load(InspectionCreate, file)
        inspection = contract_actions.record_inspection(session, cli_actor(), contract, milestone, report)
    console.print(f"inspection {inspection.id} recorded ({'passed' if inspection.passed else 'failed'})")


@app.command("approve")
def approve(inspection: int, approver: str) -> None:
    """Approve an inspection (not by its own inspector)."""
    with work() as session:
        contract_actions.approve_inspection(session, cli_actor(), inspection, approver=approver, now=now())
    console.print(f"inspection {inspection} approved by {approver}")


@app.command("pay")
def pay(contract: str, milestone: int, amount: float) -> None:
    """Pay for a milestone whose passed inspection is approved."""
    with work() as session:
        contract_actions.pay_milestone(session, cli_actor(), contract, milestone, amount, now=now())
    console.print(f"paid {amount:,.2f} on milestone {milestone} of {contract}")


@app.command("price-list")
def price_list(file: Path = typer.Argument(..., help="A price list as JSON")) -> None:
    """Add a price list (a new one never rewrites an old one)."""
    with work() as session:
        made = contract_actions.add_price_list(session, cli_actor(), _load(PriceListCreate, file))
    console.print(f"price list {made.code} in force from {made.effective_date}")


@app.command("boq")
def boq(file: Path = typer.Argument(..., help="A bill of quantities as JSON")) -> None:
    """Add a bill of quantities."""
    with work() as session:
        made = contract_actions.add_bill_of_quantities(session, cli_actor(), _load(BillOfQuantitiesCreate, file))
    console.print(f"bill of quantities {made.code} added")


@app.command("estimate")
def estimate(boq: str, on: str = typer.Option(..., help="YYYY-MM-DD"), region: str | None = None) -> None:
    """Cost estimate of a bill of quantities at the prices in force on a date."""
    with work() as session:
        try:
            day = dt.date.fromisoformat(on)
        except ValueError:
            raise RuleViolation("input.invalid", f"--on {on!r} is not a date YYYY-MM-DD") from None
        result = pricing.cost_estimate(session, boq, day, region)
    table = Table("item", "unit", "quantity", "unit price", "amount", "price list", title=f"{boq} at {on}")
    for line in result.lines:
        table.add_row(line.item_code, line.unit, f"{line.quantity:g}", f"{line.unit_price:,.2f}",
                      f"{line.amount:,.2f}", line.price_list_code)  # fmt: skip
    console.print(table)
    console.print(f"total {result.total:,.2f} {result.currency}")


@app.command("red-flags")
def flags(thresholds: Path | None = typer.Option(None, help="JSON overriding thresholds")) -> None:
    """Red flags on the opened tenders, each with the records that raised it."""
    with work() as session:
        limits = _load(red_flags.Thresholds, thresholds) if thresholds else red_flags.Thresholds()
        found = red_flags.red_flags(session, limits)
    table = Table("flag", "indicator", "what", "records")
    for flag in found:
        table.add_row(flag.code, flag.indicator, flag.message, " ".join(flag.records))
    console.print(table if found else "no red flag")


@app.command("money")
def money(
    by: str = typer.Option("district", help="Group commitments and payments by year, source, district or sector"),
) -> None:
    """Each budget allocation with what is committed and paid against it, then spending grouped."""
    with work() as session:
        if by not in {"year", "source", "district", "sector"}:
            raise RuleViolation("input.invalid", f"--by {by!r}: choose year, source, district or sector")
        lines = reports.allocations(session)
        groups = reports.spending(session, by)  # type: ignore[arg-type]
    table = Table("allocation", "year", "source", "kind", "allocated", "changes", "committed", "paid", "uncommitted")
    for a in lines:
        table.add_row(a.code, str(a.year), a.source, a.figure_kind, *(f"{v:,.2f}" for v in (
            a.allocated_azn, a.approved_changes_azn, a.committed_azn, a.paid_azn, a.uncommitted_azn)))  # fmt: skip
    console.print(table)
    spent = Table(by, "contracts", "committed AZN", "paid AZN")
    for g in groups:
        spent.add_row(g.key, str(g.contracts), f"{g.committed_azn:,.2f}", f"{g.paid_azn:,.2f}")
    console.print(spent)


# The open-data files (`tender export-ocds`, `export-oc4ids`, `export-iati`) are written by homecoming.cli.open_data.
app.command("export-ocds")(open_data.export_ocds)
app.command("export-oc4ids")(open_data.export_oc4ids)
app.command("export-iati")(open_data.export_iati)
# Complaints against an award and a contract's amendments (issue 22): homecoming.cli.tender_changes.
app.command("complaints")(tender_changes.complaints)
app.command("amendments")(tender_changes.amendments_list)
app.command("complain")(tender_changes.complain)
app.command("decide-complaint")(tender_changes.decide_complaint)
app.command("amend")(tender_changes.amend)
app.command("decide-amendment")(tender_changes.decide_amendment)
app.command("attach-amendment-document")(tender_changes.attach_amendment_document)
