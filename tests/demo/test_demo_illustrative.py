"""The demo's illustrative layer (issue 19, item 6): hazard polygons, damage counts, a tender played through award,
contract, inspection and payment, demo accounts, each record flagged and labelled on the pages that list it, none of
them changing the forecast, and the demo still free to rebuild a database holding only what it made."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from homecoming.accounts import service as accounts_service
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.accounts.schemas import UserCreate
from homecoming.audit.models import AuditEntry
from homecoming.config import Settings
from homecoming.damage.models import DamageCount
from homecoming.db.migrate import downgrade_to_empty, upgrade
from homecoming.demo import guard, illustrative, loader
from homecoming.mine_action.models import HazardArea
from homecoming.planning.scenario import Scenario
from homecoming.procurement import service as procurement
from homecoming.procurement.models import (
    AmendmentStatus,
    Bidder,
    Contract,
    ContractAmendment,
    Payment,
    Tender,
    TenderStatus,
)
from homecoming.procurement.schemas import BidderCreate
from homecoming.server.app import create_app

LABEL = "Illustrative (demo): not a fact"


def test_every_illustrative_record_is_flagged_and_says_so(
    engine: Engine, illustrative_demo: list[illustrative.DemoAccount]
) -> None:
    with Session(engine) as session:
        hazards = session.scalars(select(HazardArea).order_by(HazardArea.code)).all()
        assert [h.code for h in hazards] == ["ill-shushakend-farmland", "ill-sos-farmland", "ill-zabukh-farmland"]
        assert all(h.illustrative and h.notes == illustrative.LABEL for h in hazards)
        assert {h.polygon_geojson["type"] for h in hazards if h.polygon_geojson} == {"Polygon"}
        assert all(h.blocks_settlement_id is None for h in hazards)  # the forecast is not changed by made-up data
        assert 100_000 < hazards[0].estimated_area_m2 < 1_000_000
        assert session.scalar(select(func.count()).where(DamageCount.illustrative.is_(False))) == 0
        assert session.scalar(select(func.count()).select_from(DamageCount)) == len(illustrative.DAMAGE)
        tender = session.scalars(select(Tender)).one()
        assert (tender.code, tender.status, tender.illustrative) == ("ILL-1", TenderStatus.CONTRACT_SIGNED, True)
        assert tender.title.startswith("Illustrative")
        assert session.scalars(select(Contract.illustrative)).one() is True
        assert set(session.scalars(select(Bidder.illustrative))) == {True}
        assert [float(p) for p in session.scalars(select(Payment.amount))] == [200_000.0]
        amendment = session.scalars(select(ContractAmendment)).one()  # a time extension, at the same value
        assert (amendment.status, amendment.old_end_date, amendment.new_end_date, amendment.new_value) == (
            AmendmentStatus.APPROVED, dt.date(2025, 9, 1), dt.date(2025, 10, 15), amendment.old_value,
        )  # fmt: skip
        assert amendment.reason.startswith("Illustrative (demo):")
        # one account per role but the public, only the demo's own
        assert sorted(a.role for a in illustrative_demo) == sorted(r.value for r in Role if r != Role.PUBLIC)
        assert all(a.username.startswith("demo-") and len(a.password) >= 12 for a in illustrative_demo)
        assert guard.foreign_records(session, loader.DATA) == {}  # a demo database may be rebuilt


def test_a_record_someone_made_beside_the_illustrative_layer_is_still_protected(
    engine: Engine, illustrative_demo: list[illustrative.DemoAccount]
) -> None:
    with Session(engine) as session:
        procurement.register_bidder(session, BidderCreate(code="real-co", name="Real Co", category="local"))
        accounts_service.create_user(session, UserCreate(username="clerk", password="a-long-password", role="viewer"))
        session.commit()
        assert guard.foreign_records(session, loader.DATA) == {"bidders": 1, "users": 1}


def test_a_demo_database_holding_its_tender_can_be_emptied_and_rebuilt(
    engine: Engine, illustrative_demo: list[illustrative.DemoAccount]
) -> None:
    """`homecoming demo` empties the database by the migrations' downgrades: with bids pointing at the tender."""
    downgrade_to_empty(engine)
    upgrade(engine)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Tender)) == 0


def test_pages_that_list_illustrative_records_label_them(
    engine: Engine, illustrative_demo: list[illustrative.DemoAccount]
) -> None:
    settings = Settings(database_url=engine.url.render_as_string(hide_password=False), secret_key="test-secret")
    with Session(engine) as session:
        admin = session.scalars(select(User).where(User.username == "demo-admin")).one()
        token = accounts_service.issue_token(session, admin, "tests")
        session.commit()
    assert any(a.username == "demo-admin" for a in illustrative_demo)
    with TestClient(create_app(settings, engine=engine)) as client:
        for path in ("/tenders", "/tenders/ILL-1", "/contracts/C-ILL-1", "/red-flags", "/damage"):
            page = client.get(path)
            assert page.status_code == 200, path
            assert LABEL in page.text, path
        assert illustrative.AMENDMENT_REASON in client.get("/contracts/C-ILL-1").text
        api = client.get("/api/tenders/ILL-1", headers={"Authorization": f"Bearer {token}"})
        assert api.json()["illustrative"] is True
        hazards = client.get("/api/hazard-areas").json()
        assert {h["illustrative"] for h in hazards["items"]} == {True}
        overview = client.get("/").text
        assert 'data-figure="national-returns"' in overview and "24,729" in overview


def test_the_demo_staff_actions_are_in_the_audit_trail_each_by_a_demo_account(engine: Engine) -> None:
    """The plan's approval, each step of the illustrative tender and each damage count went through the use-cases
    the doors call, as a demo account, so the audit page shows who did what (issue 19)."""
    with Session(engine) as session:
        loader.load_reference(session)
        loader.load_households(session, loader.Scale("small", 40, 160, "a test"))
        illustrative.load(session)
        plan = loader.make_plan(session, Scenario(name="demo", sequencing_seconds=2, allocation_seconds=2))
        loader.make_plan_official(session, plan, dt.datetime(2026, 12, 1, 12))
        session.commit()
        trail = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert {e.username for e in trail} <= {f"demo-{r.value.replace('_', '-')}" for r in Role}
        users = {u.id: u.username for u in session.scalars(select(User))}
        assert all(users[e.user_id] == e.username for e in trail)  # each attributed to the account, not a name
        done = [(e.username, e.action, e.table_name, e.record_code) for e in trail]
        assert ("demo-planner", "create", "plan_runs", "demo") in done
        assert ("demo-planner", "create", "plan_approvals", "demo") in done
        assert ("demo-admin", "update", "plan_approvals", "demo") in done
        approved = next(e for e in trail if e.table_name == "plan_approvals" and e.action == "update")
        assert approved.after is not None and approved.after["state"] == "approved"
        office = "demo-procurement-officer"
        for step in (
            (office, "create", "bidders", "ill-kur-insaat"),
            (office, "create", "tenders", "ILL-1"),
            ("demo-contractor", "create", "bids", "ILL-1/ill-azer-build"),
            ("demo-admin", "create", "bids", "ILL-1/ill-euro-works"),
            (office, "update", "committee_seats", "ILL-1/seat-2"),
            (office, "create", "contracts", "C-ILL-1"),
            (office, "create", "inspections", "C-ILL-1/1/#1"),
            ("demo-admin", "update", "inspections", "C-ILL-1/1/#1"),
            (office, "create", "payments", "C-ILL-1/1/#1"),
            (office, "create", "contract_amendments", "C-ILL-1/A1"),
            ("demo-planner", "update", "contract_amendments", "C-ILL-1/A1"),
            ("demo-mine-action-officer", "create", "hazard_areas", "ill-sos-farmland"),
            ("demo-planner", "create", "damage_counts", "sos/house/severe"),
        ):
            assert step in done, step
        counted = [e.record_code for e in trail if e.table_name == "damage_counts"]
        assert counted == [f"{code}/{kind}/{level}" for code, kind, level, _ in illustrative.DAMAGE]  # one each
        tender = [e.after["status"] for e in trail if e.table_name == "tenders" and e.after]
        assert tender[-3:] == ["enquiries", "evaluation", "awarded"]  # published, evaluated, awarded
        assert guard.foreign_records(session, loader.DATA) == {}  # the demo's own entries: rebuilt freely


def test_outside_development_the_demo_accounts_stay_in_the_trail_but_cannot_log_in(
    engine: Engine, illustrative_demo: list[illustrative.DemoAccount]
) -> None:
    with Session(engine) as session:
        illustrative.retire_accounts(session, dt.datetime(2026, 12, 1, 12))
        session.commit()
        users = session.scalars(select(User).where(User.username.like("demo-%"))).all()
        assert len(users) == len(Role) - 1 and not any(u.active for u in users)
        retired = session.scalars(select(AuditEntry.record_code).where(AuditEntry.action == "deactivate")).all()
        assert sorted(retired) == sorted(u.username for u in users if u.username != "demo-admin")
        assert guard.foreign_records(session, loader.DATA) == {}
