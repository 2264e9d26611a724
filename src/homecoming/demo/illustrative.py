"""The demo's illustrative layer: records made up so that every page has something to show (hazard polygons, damage
counts, one tender through award, contract, inspection, payment and amendment, a risk run), never facts.

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
from homecoming.accounts import actions as account_actions
from homecoming.accounts import service as accounts_service
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.accounts.schemas import DISTRICT_ROLES, UserCreate
from homecoming.damage import actions as damage
from homecoming.damage.models import AssessmentMethod, DamageLevel, ObjectKind
from homecoming.damage.schemas import DamageCountCreate
from homecoming.mine_action import actions as mine_action
from homecoming.mine_action.models import HazardClassification, LandUse
from homecoming.mine_action.schemas import HazardAreaCreate
from homecoming.planning.models import PlanRun
from homecoming.procurement import actions as procurement
from homecoming.procurement import amendment_actions, contract_actions, contracts, sealing
from homecoming.procurement import service as procurement_service
from homecoming.procurement.models import Bidder
from homecoming.procurement.schemas import (
    AmendmentCreate,
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
LABEL_PLAN = "the demo's baseline plan, from the reference facts and a synthetic registry"
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
# (code, name, category, sealed price): the companies that bid for the tender
BIDDERS = (("ill-azer-build", "Azer Build (illustrative)", "local", "480000"),
           ("ill-kur-insaat", "Kur Insaat (illustrative)", "local", "455000"),
           ("ill-euro-works", "Euro Works (illustrative)", "foreign", "440000"))  # fmt: skip
DEMO_COMPANY = BIDDERS[0][0]  # the company the demo's contractor account speaks for
AMENDMENT_REASON = (
    "Illustrative (demo): the roof timber was delivered six weeks late; the completion date moves from"
    " 1 September to 15 October 2025, at the same value"
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    password: str


def load(session: Session) -> list[DemoAccount]:
    """The demo's accounts, then hazard polygons, damage counts and the tender (before the plan, which none of them
    changes). Each staff action goes through the use-case a page or the API calls, as a demo account, so the audit
    trail records who did what, as it would for people."""
    made = _accounts(session)
    _hazards(session)
    _damage(session)
    made.append(_tender(session))
    session.flush()
    return made


def retire_accounts(session: Session, now: dt.datetime) -> None:
    """Outside development the demo's accounts stay (the trail names them) but stop working: the administrator
    deactivates the others, in the trail, and then its own account is closed (no use-case lets an account close
    itself; nobody has logged in as it)."""
    admin = actor(session, Role.ADMIN)
    users = session.scalars(select(User).where(User.username.like(f"{ACCOUNT_PREFIX}%"), User.id != admin.id))
    for user in list(users):
        account_actions.deactivate(session, admin, user.username, now=now, comment=LABEL)
    admin.active = False
    session.flush()


def actor(session: Session, role: Role) -> User:
    """The demo's account of this role (homecoming.demo.guard knows the demo's accounts by their name)."""
    return session.scalars(select(User).where(User.username == username_of(role))).one()


def username_of(role: Role) -> str:
    return f"{ACCOUNT_PREFIX}{role.value.replace('_', '-')}"


def _hazards(session: Session) -> None:
    officer = actor(session, Role.MINE_ACTION_OFFICER)
    for code, north_east, size in HAZARDS:
        place = session.scalars(select(Settlement).where(Settlement.code == code)).one()
        assert place.lat is not None and place.lon is not None  # the reference gives these places coordinates
        lat, lon = place.lat + north_east, place.lon + north_east
        ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size * 0.8], [lon, lat + size * 0.8], [lon, lat]]
        outline = {"type": "Polygon", "coordinates": [ring]}
        area = round(geo.area_m2(geo.polygon(outline, f"illustrative hazard near {code}")))
        data = HazardAreaCreate(
            code=f"ill-{code}-farmland", classification=HazardClassification.SHA, polygon_geojson=outline,
            estimated_area_m2=area, district_code=place.district.code, blocked_land_use=LandUse.AGRICULTURE,
        )  # fmt: skip
        made = mine_action.create_hazard_area(session, officer, data, comment=LABEL)
        made.notes, made.illustrative = LABEL, True


def _damage(session: Session) -> None:
    """Counts as a survey reports them, recorded by the planner (the data-entry account's district holds none of
    these villages)."""
    planner = actor(session, Role.PLANNER)
    for code, kind, level, quantity in DAMAGE:
        data = DamageCountCreate(settlement_code=code, kind=kind, level=level, quantity=quantity,
                                 method=AssessmentMethod.REPORTED, assessor="demo", notes=LABEL)  # fmt: skip
        damage.set_count(session, planner, data, comment=LABEL).illustrative = True


def _tender(session: Session) -> DemoAccount:
    """One open tender played to the end by the demo's accounts: the office registers the companies and the
    committee, publishes the tender; three sealed bids come in (the demo's contractor's own, two delivered by hand
    and entered by the administrator); the office gives the committee's shares at the public opening, evaluates,
    awards and signs; its first milestone is inspected, approved by another person and paid; then its completion
    date is extended by an amendment the planner approves. Returns the contractor's account, made once its company
    is registered."""
    office, admin = actor(session, Role.PROCUREMENT_OFFICER), actor(session, Role.ADMIN)
    for code, name, category, _price in BIDDERS:
        procurement.register_bidder(session, office, BidderCreate(code=code, name=name, category=category),
                                    comment=LABEL)  # fmt: skip
    keys = {name: sealing.member_key_pair() for name in ("Demo member A", "Demo member B", "Demo member C")}
    for name, (_pem, public) in keys.items():
        member = CommitteeMemberCreate(name=name, public_key=sealing.format_public_key(public))
        procurement.register_member(session, office, member, comment=LABEL)
    end = START + dt.timedelta(days=12)  # shorter than the usual 15 days: the red-flag page has one to show
    procurement.create_tender(session, office, TenderCreate(
        code=TENDER, title="Illustrative (demo): school repairs in Zabukh", district_code="lachin",
        budget_allocation_code=ALLOCATION, currency="AZN", estimate_amount=500_000,
        qualification_criteria="two similar works in five years; annual turnover above the estimate",
        preference_category="local", preference_margin_pct=5, abnormally_low_pct=10,
        enquiry_end=START + dt.timedelta(days=5), tender_end=end,
    ), comment=LABEL)  # fmt: skip
    members = Committee(members=list(keys), threshold=2)
    seats = procurement.publish_tender(session, office, TENDER, members, now=START, version=None, comment=LABEL)
    account = _account(session, admin, Role.CONTRACTOR, None)
    contractor = actor(session, Role.CONTRACTOR)
    for code, _name, _category, price in BIDDERS:
        sealed = procurement_service.seal_price(session, TENDER, code, Decimal(price))
        who, named = (contractor, None) if code == DEMO_COMPANY else (admin, code)
        procurement.submit_bid(session, who, TENDER, sealed, bidder_code=named, now=end - dt.timedelta(days=2),
                               comment=LABEL)  # fmt: skip
    opened = end + dt.timedelta(hours=1)
    private = {name: sealing.load_member_key(pem) for name, (pem, _public) in keys.items()}
    for seat in seats[:2]:  # the members present give their shares; the office enters them
        share = sealing.unwrap_share(private[seat.member], seat.sealed_share)
        procurement.give_share(session, office, TENDER, share, now=opened, comment=LABEL)
    procurement.evaluate(session, office, TENDER, now=opened, version=None, comment=LABEL)
    procurement.award(session, office, TENDER, now=opened, version=None, comment=LABEL)
    _contract(session, office, admin)
    made = [*session.scalars(select(Bidder).where(Bidder.code.startswith("ill-")))]
    tender, contract = procurement_service.get_tender(session, TENDER), contracts.get_contract(session, f"C-{TENDER}")
    for record in (*made, tender, contract):
        record.illustrative = True
    return account


def _contract(session: Session, office: User, admin: User) -> None:
    milestones = [MilestoneCreate(title="walls and roof", amount=200_000, due_date=dt.date(2025, 6, 1)),
                  MilestoneCreate(title="finishing", amount=255_000, due_date=dt.date(2025, 9, 1))]  # fmt: skip
    contract = f"C-{TENDER}"
    contract_actions.sign_contract(session, office, TENDER, ContractCreate(code=contract, milestones=milestones),
                                   now=START + dt.timedelta(days=40), comment=LABEL)  # fmt: skip
    report = InspectionCreate(inspector="Demo inspector", inspected_on=dt.date(2025, 6, 2), passed=True,
                              notes=LABEL)  # fmt: skip
    inspection = contract_actions.record_inspection(session, office, contract, 1, report, comment=LABEL)
    contract_actions.approve_inspection(session, admin, inspection.id, now=START + dt.timedelta(days=95),
                                        comment=LABEL)  # fmt: skip
    contract_actions.pay_milestone(session, office, contract, 1, 200_000, now=START + dt.timedelta(days=100),
                                   comment=LABEL)  # fmt: skip
    _amendment(session, office, contract)


def _amendment(session: Session, office: User, contract: str) -> None:
    """A time extension, requested by the office and approved by the planner (never the account that requested it),
    so the contract page shows an amendment with its completion date before and after. Its reason says it is made up
    (an amendment carries no flag of its own; its contract does)."""
    extension = AmendmentCreate(reason=AMENDMENT_REASON, new_end_date=dt.date(2025, 10, 15))
    amendment_actions.request_amendment(session, office, contract, extension, now=START + dt.timedelta(days=110),
                                        comment=LABEL)  # fmt: skip
    amendment_actions.decide_amendment(session, actor(session, Role.PLANNER), contract, 1, True,
                                       now=START + dt.timedelta(days=115), comment=LABEL)  # fmt: skip


def risk_run(session: Session, plan: PlanRun, scenarios: int, seed: int) -> None:
    """A risk run of the demo's plan: the plan is built from sourced facts, its uncertainty is assumed."""
    risk = risk_service.run_risk(session, plan, scenarios=scenarios, seed=seed)
    risk.illustrative = True
    session.flush()


def _accounts(session: Session) -> list[DemoAccount]:
    """One account per staff role, with a new random password each time the demo is built: the administrator's made
    first (as `homecoming admin create` makes the first account), the others by it, in the trail. The contractor's
    account comes once its company is registered (`_tender`)."""
    district = session.scalars(select(District.code).order_by(District.code)).first()
    made = [_account(session, None, Role.ADMIN, None)]
    admin = actor(session, Role.ADMIN)
    for role in Role:
        if role not in (Role.PUBLIC, Role.ADMIN, Role.CONTRACTOR):
            made.append(_account(session, admin, role, district if role in DISTRICT_ROLES else None))
    return made


def _account(session: Session, admin: User | None, role: Role, district: str | None) -> DemoAccount:
    password = secrets.token_urlsafe(12)
    data = UserCreate(username=username_of(role), password=password, role=role, district_code=district,
                      bidder_code=DEMO_COMPANY if role == Role.CONTRACTOR else None)  # fmt: skip
    if admin is None:
        accounts_service.create_user(session, data)
    else:
        account_actions.create_user(session, admin, data, comment=LABEL)
    return DemoAccount(data.username, role.value, password)
