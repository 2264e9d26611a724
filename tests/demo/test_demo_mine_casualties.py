"""Issue 22, item 4: the demo loads the sourced national casualty figures of mine_action.csv as aggregates (with
their source and date), never as made-up accidents, and the operators the reference names (both engines)."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from homecoming.demo import loader
from homecoming.mine_action.models import CasualtyFigure, MineAccident, MineVictim, Operator

REFERENCE = Path(__file__).resolve().parents[1] / "data/reference_karabakh/mine_action.csv"


def _reference() -> list[dict[str, str]]:
    with REFERENCE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_loaded_casualty_figures_are_the_reference_figures(engine: Engine) -> None:
    expected = set()
    for row in _reference():
        if row["indicator"].startswith("mine victims since "):
            killed, injured = (int(part.split()[0]) for part in row["note"].split(" / "))
            since = row["indicator"].removeprefix("mine victims since ")
            expected.add((since, row["period_or_date"], killed, injured, int(row["value"]), row["source"]))
    assert len(expected) == 2
    with Session(engine) as session:
        loader.load_reference(session)
        loaded = {
            (f.since.isoformat(), f.as_of, f.killed, f.injured, f.total, f.source_url)
            for f in session.scalars(select(CasualtyFigure))
        }
        made_up = (
            session.scalar(select(func.count()).select_from(MineAccident)),
            session.scalar(select(func.count()).select_from(MineVictim)),
        )
        operators = {o.code: (o.kind.value, o.country) for o in session.scalars(select(Operator))}
    assert loaded == expected
    assert made_up == (0, 0)  # aggregates only: no accident nor victim is invented from them
    named = next(r for r in _reference() if r["indicator"] == "demining operators")["value"]
    assert "4 private companies" in named  # unnamed in the reference: no record is made up for them
    assert operators == {
        "anama": ("national_agency", "AZ"),
        "az-defence": ("national_team", "AZ"),
        "az-emergencies": ("national_team", "AZ"),
        "az-border": ("national_team", "AZ"),
    }
