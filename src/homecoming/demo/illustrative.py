"""The demo's illustrative layer: records made up so that every page has something to show (hazard polygons, damage
counts, one tender through award, contract, inspection and payment, a risk run), never facts.

Each record carries `illustrative` (homecoming.db.base.IllustrativeMixin), and its name or note says so too, so that
an export or a page that shows the words but not the flag still reads as an example. None of them changes the
forecast: the hazard areas lie on farmland and block no settlement, and the tender's works are no project of the
registry. The demo's accounts (one per role) exist only in development (HOMECOMING_ENVIRONMENT=dev).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming import geo
from homecoming.accounts import service as accounts_service
from homecoming.accounts.roles import Role
from homecoming.accounts.schemas import DISTRICT_ROLES, UserCreate
from homecoming.damage.models import AssessmentMethod, DamageCount, DamageLevel, ObjectKind
from homecoming.mine_action.models import HazardArea, HazardClassification, HazardStatus, LandUse
from homecoming.planning.models import PlanRun
from homecoming.procurement import committee, contracts, sealing
from homecoming.procurement import service as procurement
from homecoming.procurement.models import Bidder
from homecoming.procurement.schemas import (
    BidderCreate,
    Committee,
    CommitteeMemberCreate,
    ContractCreate,
    InspectionCreate,
    MilestoneCreate,
    TenderCreate,
)
from homecoming.risk import service as risk_service
from homecoming.territory.models import District, Settlement

LABEL = "Illustrative (demo): made up to show what the page does, not a fact"
ACCOUNT_PREFIX = "demo-"
# (settlement whose farmland it lies on, how far north-east of the village in degrees, size in degrees)
HAZARDS = (("shushakend", 0.010, 0.006), ("sos", 0.012, 0.008), ("zabukh", 0.008, 0.005))
# (settlement, kind, level, how many)
DAMAGE = (
    ("shushakend", ObjectKind.HOUSE, DamageLevel.DESTROYED, 120),
    ("shushakend", ObjectKind.SCHOOL, DamageLevel.SEVERE, 1),
    ("sos", ObjectKind.HOUSE, DamageLevel.SEVERE, 60),
    ("sos", ObjectKind.CLINIC, DamageLevel.PARTIAL, 1),
)  # fmt: skip
TENDER, ALLOCATION, START = "ILL-1", "2025-allocated-azn", dt.datetime(2025, 3, 1, 9)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    password: str


def load(session: Session) -> None:
    """Hazard polygons, damage counts and the tender (before the plan, which none of them changes)."""
    _hazards(session)
    _damage(session)
    _tender(session)
    session.flush()


def _hazards(session: Session) -> None:
    for code, north_east, size in HAZARDS:
        place = session.scalars(select(Settlement).where(Settlement.code == code)).one()
        assert place.lat is not None and place.lon is not None  # the reference gives these places coordinates
        lat, lon = place.lat + north_east, place.lon + north_east
        ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size * 0.8], [lon, lat + size * 0.8], [lon, lat]]
        outline = {"type": "Polygon", "coordinates": [ring]}
        area = round(geo.area_m2(geo.polygon(outline, f"illustrative hazard near {code}")))
        session.add(HazardArea(
            code=f"ill-{code}-farmland", classification=HazardClassification.SHA, status=HazardStatus.OPEN,
            polygon_geojson=outline, estimated_area_m2=area, remaining_area_m2=area, district_id=place.district_id,
            blocked_land_use=LandUse.AGRICULTURE, notes=LABEL, illustrative=True,
        ))  # fmt: skip


def _damage(session: Session) -> None:
    ids = {code: id_ for code, id_ in session.execute(select(Settlement.code, Settlement.id))}
    for code, kind, level, quantity in DAMAGE:
        session.add(DamageCount(
            settlement_id=ids[code], kind=kind, level=level, quantity=quantity, method=AssessmentMethod.REPORTED,
            assessor="demo", notes=LABEL, illustrative=True,
        ))  # fmt: skip


def _at(moment: dt.datetime) -> procurement.Clock:
    return lambda: moment


def _tender(session: Session) -> None:
    """One open tender played to the end: three sealed bids opened by the committee, evaluated, awarded, the
    contract signed, its first milestone inspected, approved by another person and paid."""
    for code, name, category in (("ill-azer-build", "Azer Build (illustrative)", "local"),
                                 ("ill-kur-insaat", "Kur Insaat (illustrative)", "local"),
                                 ("ill-euro-works", "Euro Works (illustrative)", "foreign")):  # fmt: skip
        procurement.register_bidder(session, BidderCreate(code=code, name=name, category=category))
    keys = {name: sealing.member_key_pair() for name in ("Demo member A", "Demo member B", "Demo member C")}
    for name, (_pem, public) in keys.items():
        member = CommitteeMemberCreate(name=name, public_key=sealing.format_public_key(public))
        committee.register_member(session, member)
    end = START + dt.timedelta(days=12)  # shorter than the usual 15 days: the red-flag page has one to show
    procurement.create_tender(session, TenderCreate(
        code=TENDER, title="Illustrative (demo): school repairs in Zabukh", district_code="lachin",
        budget_allocation_code=ALLOCATION, currency="AZN", estimate_amount=500_000,
        qualification_criteria="two similar works in five years; annual turnover above the estimate",
        preference_category="local", preference_margin_pct=5, abnormally_low_pct=10,
        enquiry_end=START + dt.timedelta(days=5), tender_end=end,
    ))  # fmt: skip
    seats = committee.publish_tender(session, TENDER, Committee(members=list(keys), threshold=2), _at(START))
    private = {name: sealing.load_member_key(pem) for name, (pem, _public) in keys.items()}
    for bidder, price in (("ill-azer-build", "480000"), ("ill-kur-insaat", "455000"), ("ill-euro-works", "440000")):
        sealed = procurement.seal_price(session, TENDER, bidder, Decimal(price))
        procurement.submit_bid(session, TENDER, bidder, sealed, _at(end - dt.timedelta(days=2)))
    opened = _at(end + dt.timedelta(hours=1))
    for seat in seats[:2]:
        committee.give_share(session, TENDER, sealing.unwrap_share(private[seat.member], seat.sealed_share), opened)
    procurement.evaluate(session, TENDER, opened)
    procurement.award(session, TENDER, opened)
    milestones = [MilestoneCreate(title="walls and roof", amount=200_000, due_date=dt.date(2025, 6, 1)),
                  MilestoneCreate(title="finishing", amount=255_000, due_date=dt.date(2025, 9, 1))]  # fmt: skip
    contracts.sign_contract(session, TENDER, ContractCreate(code=f"C-{TENDER}", milestones=milestones),
                            _at(START + dt.timedelta(days=40)))  # fmt: skip
    report = InspectionCreate(inspector="Demo inspector", inspected_on=dt.date(2025, 6, 2), passed=True,
                              notes=LABEL)  # fmt: skip
    inspection = contracts.record_inspection(session, f"C-{TENDER}", 1, report)
    contracts.approve_inspection(session, inspection.id, "Demo approver", _at(START + dt.timedelta(days=95)))
    contracts.pay_milestone(session, f"C-{TENDER}", 1, 200_000, _at(START + dt.timedelta(days=100)))
    session.flush()
    made = [*session.scalars(select(Bidder).where(Bidder.code.startswith("ill-")))]
    for record in (*made, procurement.get_tender(session, TENDER), contracts.get_contract(session, f"C-{TENDER}")):
        record.illustrative = True


def risk_run(session: Session, plan: PlanRun, scenarios: int, seed: int) -> None:
    """A risk run of the demo's plan: the plan is built from sourced facts, its uncertainty is assumed."""
    risk = risk_service.run_risk(session, plan, scenarios=scenarios, seed=seed)
    risk.illustrative = True
    session.flush()


def accounts(session: Session) -> list[DemoAccount]:
    """One account per role, with a new random password each time the demo is built (development only)."""
    made = []
    district = session.scalars(select(District.code).order_by(District.code)).first()
    for role in Role:
        if role == Role.PUBLIC:
            continue
        password = secrets.token_urlsafe(12)
        username = f"{ACCOUNT_PREFIX}{role.value.replace('_', '-')}"
        accounts_service.create_user(session, UserCreate(
            username=username, password=password, role=role,
            district_code=district if role in DISTRICT_ROLES else None,
            bidder_code="ill-azer-build" if role == Role.CONTRACTOR else None,
        ))  # fmt: skip
        made.append(DemoAccount(username, role.value, password))
    session.flush()
    return made
