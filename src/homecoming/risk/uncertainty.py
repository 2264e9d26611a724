"""How uncertain each kind of task is: shipped defaults per kind and sector (assumptions, see docs/risk.md),
overridable per kind or per task from a JSON file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from homecoming.errors import RuleViolation
from homecoming.optimisation.risk import ThreePoint


class Point(BaseModel):
    """Multipliers of the nominal duration (or, with productivity, of the work rate)."""

    optimistic: float = Field(gt=0)
    likely: float = Field(gt=0)
    pessimistic: float = Field(gt=0)
    shape: Literal["pert", "triangular"] = "pert"
    productivity: bool = False

    def three_point(self) -> ThreePoint:
        return ThreePoint(self.optimistic, self.likely, self.pessimistic, self.shape, self.productivity)


def _p(low: float, likely: float, high: float, productivity: bool = False) -> Point:
    return Point(optimistic=low, likely=likely, pessimistic=high, productivity=productivity)


# Assumptions, not sourced figures; a programme office replaces them with its own (docs/risk.md says why each).
DEFAULTS: dict[str, Point] = {
    # m² cleared per team-month: handed-over minefield maps were reported 20-25% accurate, so areas grow and rates
    # fall far more often than they improve
    "clearance": _p(0.5, 1.0, 1.2, productivity=True),
    "houses": _p(0.9, 1.0, 1.5),
    "proposed": _p(1.0, 1.2, 2.0),  # not designed, tendered or funded yet
    "works": _p(0.9, 1.0, 1.5),
    "works:road": _p(0.9, 1.0, 1.6),
    "works:rail": _p(0.9, 1.0, 1.7),
    "works:power": _p(0.9, 1.0, 1.4),
    "works:water": _p(0.9, 1.0, 1.5),
    "works:gas": _p(0.9, 1.0, 1.4),
    "works:school": _p(0.9, 1.0, 1.4),
    "works:health": _p(0.9, 1.0, 1.4),
    "works:housing": _p(0.9, 1.0, 1.5),
    "works:heritage": _p(0.9, 1.0, 1.8),
}


class Overrides(BaseModel):
    """{"kinds": {"clearance": {...}, "works:road": {...}}, "tasks": {"works:RD-01": {...}}}"""

    kinds: dict[str, Point] = Field(default_factory=dict)
    tasks: dict[str, Point] = Field(default_factory=dict)


def load_overrides(path: Path | None) -> Overrides:
    if path is None:
        return Overrides()
    try:
        return Overrides.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError) as exc:
        raise RuleViolation("risk.bad_uncertainty_file", f"{path}: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise RuleViolation("risk.bad_uncertainty", f"uncertainty file {path}: {problems}") from None


def point_for(kind: str, sector: str | None, task: str, overrides: Overrides) -> tuple[str, Point]:
    """The most specific of: the task's own override, its kind:sector, its kind (override before default)."""
    if task in overrides.tasks:
        return f"task {task}", overrides.tasks[task]
    for key in ([f"{kind}:{sector}"] if sector else []) + [kind]:
        if key in overrides.kinds:
            return key, overrides.kinds[key]
        if key in DEFAULTS:
            return key, DEFAULTS[key]
    return "works", overrides.kinds.get("works", DEFAULTS["works"])


def describe(used: dict[str, Point]) -> dict[str, Any]:
    return {key: point.model_dump() for key, point in sorted(used.items())}
