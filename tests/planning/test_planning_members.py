"""Issue 22: a household goes on a convoy only once it has confirmed its voluntary return, and its members' specific
needs move it ahead in the allocation (both engines)."""

from __future__ import annotations

import datetime as dt

from planning_types import Village
from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.households import actions
from homecoming.households.models import ConfirmationMethod, Household, Sex, SpecificNeed
from homecoming.households.schemas import MemberCreate
from homecoming.planning import messages
from homecoming.planning.models import PlanAllocation, PlanConvoy, PlanRun
from homecoming.planning.run import run_plan
from homecoming.planning.scenario import Scenario

FAST = {"sequencing_seconds": 5, "allocation_seconds": 5, "horizon_months": 36}
CLEARING = {"demining_teams": 2, "teams_per_clearance": 2, "clearance_m2_per_team_month": 100_000, **FAST}
HAZARD = (200_000.0,)  # one month's clearance: the village is ready in month 1
NOW = dt.datetime(2026, 12, 2, 9, 0)


def registrar(session: Session) -> User:
    user = User(username="registrar", password_hash="x", role=Role.REGISTRAR, active=True)
    session.add(user)
    session.flush()
    return user


def placed(session: Session, run: PlanRun) -> dict[str, int | None]:
    """Household code -> the month it moves in this plan (None: in the plan, not placed)."""
    rows = session.execute(
        select(Household.code, PlanAllocation.period)
        .join(Household, Household.id == PlanAllocation.household_id)
        .where(PlanAllocation.plan_run_id == run.id)
    )
    return {code: period for code, period in rows}


def test_an_unconfirmed_household_is_never_on_a_convoy_and_the_plan_says_so(
    district: Session, village: Village
) -> None:
    village("sus", families=6, hazards=HAZARD)
    user = registrar(district)
    for code in ("sus-1", "sus-4"):  # withdrew at the registrar's office; the others confirmed at registration
        version = district.scalars(select(Household.version).where(Household.code == code)).one()
        actions.reconfirm_return(district, user, code, False, dt.date(2026, 11, 1), ConfirmationMethod.IN_PERSON,
                                 version=version)  # fmt: skip
    run = run_plan(district, Scenario(**CLEARING), code="confirmed-only")
    assert placed(district, run) == {"sus-0": 1, "sus-2": 1, "sus-3": 1, "sus-5": 1}  # the two are on no convoy
    [convoy] = district.scalars(select(PlanConvoy).where(PlanConvoy.plan_run_id == run.id)).all()
    assert (convoy.households, convoy.people) == (4, 16)
    said = [m for m in messages.read(run.data_issues) if m.code == messages.UNCONFIRMED.code]
    assert [m.values for m in said] == [{"count": "<5"}]  # two: a small count, worded by the one disclosure rule
    assert messages.english([m.stored() for m in said]) == [
        "<5 waiting households have not confirmed their voluntary return (or withdrew it): no convoy takes them until "
        "a registrar records their confirmation"
    ]
    version = district.scalars(select(Household.version).where(Household.code == "sus-4")).one()
    actions.reconfirm_return(district, user, "sus-4", True, dt.date(2026, 11, 20), ConfirmationMethod.PHONE,
                             version=version)  # fmt: skip
    again = run_plan(district, Scenario(**CLEARING), code="one-more")
    assert "sus-4" in placed(district, again) and "sus-1" not in placed(district, again)


def test_a_members_specific_need_moves_the_household_ahead_on_the_convoys(district: Session, village: Village) -> None:
    village("sus", families=3, hazards=HAZARD)
    one_a_month = Scenario(convoy_households=1, **CLEARING)
    before = placed(district, run_plan(district, one_a_month, code="no-needs"))
    assert before == {"sus-0": 1, "sus-1": 2, "sus-2": 3}  # all alike: in the order of their codes
    user = registrar(district)
    for household, need in (("sus-1", SpecificNeed.PREGNANT), ("sus-2", SpecificNeed.UNACCOMPANIED_CHILD)):
        for n, name in enumerate(("Leyla", "Zaur", "Aysel", "Murad")):  # the whole household: its size stays 4
            member = MemberCreate(given_name=name, family_name="Aliyev", birth_date=dt.date(1990 - n, 1, 1),
                                  sex=Sex.FEMALE, specific_needs=[need] if n == 0 else [])  # fmt: skip
            actions.add_member(district, user, household, member, now=NOW)
    after = placed(district, run_plan(district, one_a_month, code="needs"))
    assert after == {"sus-2": 1, "sus-1": 2, "sus-0": 3}  # an urgent need two levels up, any other need one
