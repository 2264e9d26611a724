"""Scenario sweeps: many plan variants (budget x demining teams x crews, or a list), each re-solved with a time
limit, compared on people-months displaced, people home by year and the year the first-phase target is met.

Problems are built from the registry here (the database stays in this process); only the problems (the core's
frozen dataclasses) go to the Dask workers, which solve them with the sequencing engine and send the results back."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from homecoming.config import get_settings
from homecoming.disclosure.rule import is_small, rounded
from homecoming.errors import RuleViolation
from homecoming.finance import service as finance_service
from homecoming.optimisation.risk.distribute import map_ordered
from homecoming.optimisation.sequencing.model import Problem, Result
from homecoming.planning.build import BUDGET_PREFERENCE, build_problem
from homecoming.planning.scenario import Scenario
from homecoming.returns import service as returns_service


@dataclass(frozen=True)
class Variant:
    name: str
    changes: dict[str, Any]  # Scenario fields
    budget_factor: float | None = None  # shown on the chart
    teams: int | None = None
    crews: int | None = None


@dataclass
class Outcome:
    variant: Variant
    status: str
    people_months: int | None
    home_by_year: dict[int, int] = field(default_factory=dict)  # cumulative people whose settlement is ready
    target_year: int | None = None


def registry_budget(session: Session) -> dict[int, float]:
    years = finance_service.budget_by_year(session)
    return {year: next(kinds[k] for k in BUDGET_PREFERENCE if k in kinds)
            for year, kinds in years.items() if any(k in kinds for k in BUDGET_PREFERENCE)}  # fmt: skip


def grid(base: Scenario, budget_factors: Sequence[float], teams: Sequence[int], crews: Sequence[int],
         yearly: dict[int, float]) -> list[Variant]:  # fmt: skip
    """Every combination; a budget factor scales each year's budget (the scenario's, else the registry's)."""
    if budget_factors and not yearly:
        raise RuleViolation(
            "sweep.no_budget",
            "the registry and the scenario have no budget: a factor has nothing to scale; leave --budget-factor out "
            "or give budget_azn_per_year in the scenario",
        )
    out = []
    axes: tuple[Sequence[float | None], Sequence[int | None], Sequence[int | None]] = (
        budget_factors or [None],
        teams or [None],
        crews or [None],
    )
    for factor, team, crew in itertools.product(*axes):
        changes: dict[str, Any] = {}
        parts = []
        if factor is not None:
            changes["budget_azn_per_year"] = {y: v * factor for y, v in yearly.items()}
            parts.append(f"budget x{factor:g}")
        if team is not None:
            changes["demining_teams"] = team
            parts.append(f"{team} teams")
        if crew is not None:
            changes["crews"] = crew
            parts.append(f"{crew} crews")
        out.append(Variant(", ".join(parts) or base.name, changes, factor, team, crew))
    return out


def listed(items: list[dict[str, Any]]) -> list[Variant]:
    """A list of {"name": ..., any Scenario field: value}."""
    out = []
    for k, item in enumerate(items):
        changes = {key: value for key, value in item.items() if key != "name"}
        out.append(Variant(str(item.get("name", f"variant {k + 1}")), changes, None,
                           changes.get("demining_teams"), changes.get("crews")))  # fmt: skip
    return out


def solve_one(item: tuple[Problem, float]) -> Result:
    """Runs on a Dask worker: one problem, one time limit, one CP-SAT worker (the cores go to variants)."""
    from homecoming.planning import engines

    problem, seconds = item
    return engines.solve_sequencing(problem, seconds=seconds, workers=1)


def run_sweep(
    session: Session, base: Scenario, variants: list[Variant], *, seconds: float, client: Any = None,
    target: int | None = None, done: Callable[[], None] | None = None, say: Callable[[str], None] | None = None,
) -> tuple[list[Outcome], int]:  # fmt: skip
    """Every variant built, solved (on `client`'s cluster if given) and summarised, in the order given; also the
    target used (the programme's people target, or everyone waiting if that is fewer)."""
    built = []
    for k, variant in enumerate(variants):
        (say or (lambda _: None))(f"building variant {k + 1} of {len(variants)}: {variant.name}")
        try:
            scenario = Scenario.model_validate(base.model_dump() | variant.changes)
        except ValidationError as exc:
            raise RuleViolation("sweep.bad_variant", f"variant {variant.name!r}: {exc.errors()[0]['msg']}") from None
        built.append((scenario, build_problem(session, scenario)))
    waiting = sum(people for _, people in built[0][1].waiting.values())
    goal = target or returns_service.progress_summary(session).people_target or waiting
    goal = min(goal, waiting)
    items = [(b.sequencing, seconds) for _, b in built]

    def summarise(k: int, solution: Result) -> Outcome:
        scenario, b = built[k]
        return _outcome(variants[k], scenario, b.sequencing, b.waiting, b.goal_settlements, solution, goal)

    tick = done or (lambda: None)
    if client is None:
        solutions = []
        for item in items:
            solutions.append(solve_one(item))
            tick()
    else:
        solutions = map_ordered(client, solve_one, items, lambda _: tick())
    return [summarise(k, solution) for k, solution in enumerate(solutions)], goal


def _outcome(variant: Variant, scenario: Scenario, problem: Problem, waiting: dict[int, tuple[int, int]],
             goal_settlements: dict[str, int], solution: Result, target: int) -> Outcome:  # fmt: skip
    if solution.status not in ("optimal", "feasible"):
        return Outcome(variant, solution.status, None)
    ready = {sid: int(solution.goals[g]) for g, sid in goal_settlements.items()}
    first, last = scenario.start.year, scenario.month(problem.periods).year
    home: dict[int, int] = {}
    for year in range(first, last + 1):
        cutoff = scenario.period_of(dt.date(year, 12, 1))
        home[year] = sum(people for sid, (_, people) in waiting.items() if ready.get(sid, 0) <= cutoff)
    reached = next((year for year, people in home.items() if people >= target), None)
    months = sum(people * ready.get(sid, 0) for sid, (_, people) in waiting.items())
    threshold = get_settings().small_count_threshold
    if any(is_small(households, threshold) for households, _ in waiting.values()):  # the job's result is public:
        home = {year: rounded(people, threshold) for year, people in home.items()}  # like the risk bands
    return Outcome(variant, solution.status, months, home, reached)


def chart(outcomes: list[Outcome], path: Path, title: str) -> Path:
    """The trade-off: people-months displaced against demining teams, one line per budget level, a panel per
    crews level (a list of variants without those fields is shown as bars)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    solved = [o for o in outcomes if o.people_months is not None]
    crews = sorted({o.variant.crews for o in solved}, key=lambda c: (c is None, c or 0))
    panels = max(1, len(crews))
    figure, axes = plt.subplots(1, panels, figsize=(min(16, 4.5 * panels + 1), 4.2), sharey=True, squeeze=False)
    if all(o.variant.teams is None for o in solved):
        ax = axes[0][0]
        ax.barh([o.variant.name for o in solved], [(o.people_months or 0) / 1e6 for o in solved], color="#2f6f8f")
        ax.set_xlabel("people-months displaced (millions)")
    else:
        for ax, crew in zip(axes[0], crews, strict=False):
            budgets = sorted({o.variant.budget_factor for o in solved}, key=lambda b: (b is None, b or 0))
            for budget in budgets:
                line = sorted((o.variant.teams or 0, (o.people_months or 0) / 1e6) for o in solved
                              if o.variant.crews == crew and o.variant.budget_factor == budget)  # fmt: skip
                label = "registry budget" if budget is None else f"budget x{budget:g}"
                ax.plot([x for x, _ in line], [y for _, y in line], marker="o", label=label)
            ax.set_title("crews as planned" if crew is None else f"{crew} crews")
            ax.set_xlabel("demining teams")
            ax.grid(alpha=0.3)
        axes[0][0].set_ylabel("people-months displaced (millions)")
        axes[0][-1].legend(fontsize=8)
    figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def rows(outcomes: list[Outcome]) -> list[dict[str, Any]]:
    years = sorted({y for o in outcomes for y in o.home_by_year})
    out = []
    for o in outcomes:
        row: dict[str, Any] = {"variant": o.variant.name, "budget_factor": o.variant.budget_factor,
                               "demining_teams": o.variant.teams, "crews": o.variant.crews, "status": o.status,
                               "people_months": o.people_months, "target_year": o.target_year}  # fmt: skip
        row |= {f"home_by_{y}": o.home_by_year.get(y) for y in years}
        out.append(row)
    return out
