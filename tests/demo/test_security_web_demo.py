"""Issue 16, item 5: `homecoming demo` without --force erased a real database (its guard looked at households and
settlements only). It now refuses while any record it did not make exists, names the tables, and drops nothing."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from homecoming.accounts import service as accounts
from homecoming.accounts.models import User
from homecoming.accounts.schemas import UserCreate
from homecoming.cli.main import app
from homecoming.db import session as db_session
from homecoming.demo import guard, loader
from homecoming.households.models import Household
from homecoming.procurement import service as procurement
from homecoming.procurement.models import Bidder
from homecoming.procurement.schemas import BidderCreate


def test_demo_refuses_to_erase_a_database_holding_an_account(cli_database: str) -> None:
    engine = db_session.get_engine()
    with Session(engine) as session:
        accounts.create_user(session, UserCreate(username="clerk", password="a-long-password", role="registrar"))
        procurement.register_bidder(session, BidderCreate(code="azer-build", name="Azer Build", category="local"))
        session.commit()
    result = CliRunner().invoke(app, ["demo"], env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    assert "demo.database_not_empty" in result.output
    said = " ".join(result.output.split())  # the console wraps long lines where the temporary path puts them
    assert "holds records the demo did not make: bidders (1), users (1)" in said
    with Session(engine) as session:
        assert session.scalars(select(User.username)).all() == ["clerk"]
        assert session.scalar(select(func.count()).select_from(Bidder)) == 1


def test_only_the_demos_own_records_may_be_erased(engine: Engine) -> None:
    with Session(engine) as session:
        loader.load_reference(session)
        loader.load_households(session, loader.Scale("small", 40, 160, "a test"))
        session.commit()
        assert guard.foreign_records(session, loader.DATA) == {}  # a demo database may be rebuilt
        origin = session.scalars(select(Household).limit(1)).one()
        origin.synthetic = False  # a real family registered in the demo's registry
        session.commit()
        assert guard.foreign_records(session, loader.DATA) == {"households": 1}
