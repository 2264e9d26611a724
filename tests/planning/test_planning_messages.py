"""A plan run keeps its sentences as codes and values, and every assumption it used, settings included."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from alembic import command
from planning_types import Village
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from homecoming.config import get_settings
from homecoming.db.migrate import alembic_config, downgrade_to_empty, upgrade
from homecoming.phrases import Phrase
from homecoming.planning import messages
from homecoming.planning.models import PlanTask
from homecoming.planning.report import grouped_issues
from homecoming.planning.run import run_plan
from homecoming.planning.scenario import Scenario
from homecoming.works.models import Project, Sector

FAST = {"sequencing_seconds": 5, "allocation_seconds": 5, "horizon_months": 36}


@pytest.fixture
def settings_from_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """The environment the settings are read from; the cached settings are dropped before and after."""
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def test_two_runs_under_different_settings_record_different_assumptions(
    district: Session, village: Village, settings_from_env: pytest.MonkeyPatch
) -> None:
    district.query(Project).filter(Project.sector == Sector.SCHOOL).delete()
    village("sus", families=20, houses=False)
    every = run_plan(district, Scenario(**FAST), code="every-service")
    settings_from_env.setenv("HOMECOMING_REQUIRED_SERVICES", json.dumps({"village": ["power"]}))
    settings_from_env.setenv("HOMECOMING_SMALL_COUNT_THRESHOLD", "7")
    get_settings.cache_clear()
    power = run_plan(district, Scenario(**FAST), code="power-only")
    assert every.assumptions["settings"]["required_services"]["village"] == ["power", "water", "road", "school",
                                                                             "health"]  # fmt: skip
    assert power.assumptions["settings"] == {"required_services": {"village": ["power"]}, "small_count_threshold": 7}
    assert every.assumptions["allocation_weights"] == {"wait": 1, "not_origin": 24, "extra_room": 2, "unplaced": 1000}
    assert {k: v for k, v in every.assumptions.items() if k != "settings"} == {
        k: v for k, v in power.assumptions.items() if k != "settings"
    }  # the same scenario: only the settings differ, and the runs say so
    assert messages.SERVICE_PROPOSED(place="sus", sector="school").stored() in every.data_issues
    assert messages.stored(
        [messages.HOUSES_SHORT(place="sus", households=20, houses=0, more=20), messages.NO_BUDGET()]
    ) == (power.data_issues)  # no school required, none proposed


def test_a_run_stores_its_sentences_as_codes_and_values(district: Session, village: Village) -> None:
    district.query(Project).filter(Project.sector == Sector.WATER).delete()
    village("sus", families=20, houses=False, hazards=(100_000,))
    run = run_plan(district, Scenario(**FAST), code="coded")
    assert run.data_issues == [
        {"code": "plan.houses_short", "values": {"place": "sus", "households": 20, "houses": 0, "more": 20}},
        {"code": "plan.service_proposed", "values": {"place": "sus", "sector": "water"}},
        {"code": "plan.no_budget", "values": {}},
    ]
    labels = {t.task: t.label for t in district.query(PlanTask).filter(PlanTask.plan_run_id == run.id)}
    assert labels == {
        "clear:sus-h0": {"code": "plan.clear_hazard", "values": {"code": "sus-h0", "area": 100_000}},
        "proposed:sus:houses": {"code": "plan.proposed_houses", "values": {"count": 20, "place": "Sus"}},
        "proposed:sus:water": {"code": "plan.proposed_works", "values": {"sector": "water", "place": "Sus"}},
    }
    assert messages.english(run.data_issues)[1] == "sus: no water works in the registry; the plan proposes one"


def test_issues_of_one_template_are_listed_once_with_their_places() -> None:
    stored = messages.stored([
        messages.SERVICE_MISSING(place="sus", sector="school"),
        messages.HOUSES_SHORT(place="sus", households=20, houses=0, more=20),
        messages.SERVICE_MISSING(place="zabukh", sector="school"),
        messages.NO_BUDGET(),
    ])  # fmt: skip
    grouped = grouped_issues(stored)
    assert [(str(said), places) for said, places in grouped] == [
        ("no school works in the registry; it cannot become ready", ["sus", "zabukh"]),
        ("sus: 20 households wait but only 0 houses are built or planned; the plan proposes 20 more", []),
        ("no budget figures in the registry or the scenario: money does not limit this plan", []),
    ]
    assert all(isinstance(said, Phrase) for said, _ in grouped)  # each one translatable on a page


OLD_ISSUES = [
    "sus: no school works in the registry; the plan proposes one",
    "aghdam-v: 1,200 households wait but only 30 houses are built or planned; the plan proposes 1,170 more",
    "kh: more households wait than houses are built or planned; the plan proposes more (counts withheld)",
    "budget for 2028 missing: the plan carries 2.40 bn AZN forward",
    "works:line: needs 9 crews a month, more than the 4 there are in the leanest month; planned with 4",
    "line: under way since 2025-07 but the plan resumes it only in month 3",
    "<5 households need more than 6 rooms, more than any house planned; they stay unplaced until larger houses are "
    "planned",
    "a note someone wrote by hand",
]
OLD_LABELS = [
    ("clear:h1", "clearance", "clear hazard area h1 (12,500 m²)"),
    ("proposed:sus:water", "proposed", "proposed water works for Sus"),
    ("proposed:sus:houses", "proposed", "proposed houses in Sus"),
    ("houses:sus", "houses", "1,456 houses in Sus"),
    ("works:h", "works", "12 houses in Sus"),  # a project's name, whatever it looks like
]


def test_the_migration_turns_stored_english_into_codes_and_back(engine: Engine, database_url: str) -> None:
    downgrade_to_empty(engine)
    upgrade(engine, "0014")
    _insert_old_run(engine)
    upgrade(engine)
    with engine.connect() as connection:
        [issues] = connection.execute(text("SELECT data_issues FROM plan_runs")).scalars()
        rows = connection.execute(text("SELECT task, label FROM plan_tasks ORDER BY id")).all()
    issues = json.loads(issues) if isinstance(issues, str) else issues
    labels = {task: json.loads(label) if isinstance(label, str) else label for task, label in rows}
    assert [i["code"] for i in issues] == [
        "plan.service_proposed", "plan.houses_short", "plan.houses_short_withheld", "plan.budget_carried",
        "plan.demand_capped", "plan.works_resumed_late", "plan.households_too_big", "text",
    ]  # fmt: skip
    assert issues[1]["values"] == {"place": "aghdam-v", "households": 1200, "houses": 30, "more": 1170}
    assert issues[-1] == {"code": "text", "values": {"text": "a note someone wrote by hand"}}  # kept as written
    assert messages.english(issues) == OLD_ISSUES  # every sentence says what it said
    assert labels["proposed:sus:water"] == {
        "code": "plan.proposed_works",
        "values": {"sector": "water", "place": "Sus"},
    }
    assert labels["works:h"] == {"code": "text", "values": {"text": "12 houses in Sus"}}
    assert [str(messages.label(labels[task])) for task, _, _ in OLD_LABELS] == [label for _, _, label in OLD_LABELS]
    command.downgrade(alembic_config(database_url), "0014")
    with engine.connect() as connection:
        [issues] = connection.execute(text("SELECT data_issues FROM plan_runs")).scalars()
        back = [label for (label,) in connection.execute(text("SELECT label FROM plan_tasks ORDER BY id"))]
    assert (json.loads(issues) if isinstance(issues, str) else issues) == OLD_ISSUES
    assert back == [label for _, _, label in OLD_LABELS]
    upgrade(engine)


def _insert_old_run(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO plan_runs (id, code, scenario, assumptions, created_at, start_month, sequencing_status, "
                "people_months, people_months_bound, allocation_status, allocation_objective, allocation_bound, "
                "seconds, data_issues, schedule_problem) VALUES (1, 'old', 'baseline', '{}', '2026-11-30 10:00:00', "
                "'2026-01-01', 'optimal', 0, 0, 'optimal', 0, 0, 1, :issues, '{}')"
            ),
            {"issues": json.dumps(OLD_ISSUES)},
        )
        for task, kind, label in OLD_LABELS:
            connection.execute(
                text(
                    "INSERT INTO plan_tasks (plan_run_id, task, kind, label, start_period, end_period, start_date, "
                    "end_date) VALUES (1, :task, :kind, :label, 0, 1, '2026-01-01', '2026-02-01')"
                ),
                {"task": task, "kind": kind, "label": label},
            )
