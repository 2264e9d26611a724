"""`homecoming sequence ...`: solve, check and generate works-sequencing problems (issue 3)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from homecoming.cli.clock import engine_seconds
from homecoming.cli.output import console, errors, user_errors
from homecoming.optimisation.sequencing.check import check_solution
from homecoming.optimisation.sequencing.generate import generate as generate_programme
from homecoming.optimisation.sequencing.io import read_problem, read_solution, write_problem, write_solution

app = typer.Typer(help="Order the works so that the most people get home soonest.", no_args_is_help=True)

MAX_SHOWN_VIOLATIONS = 20
# What follows the engine, in CPU seconds (scaled by the slowness seen): writing the solution (0.01 s at 5,500 tasks)
# and the interpreter's exit after a solve (0.3 to 0.5 s: the solvers' libraries unloading), measured at 1,000
# settlements
FINISH_CPU_S = 0.6


@app.command("solve")
def solve(
    problem: Path = typer.Argument(..., help="homecoming-sequencing/1 JSON, or a PSPLIB .sm / Patterson file."),
    time_limit: float = typer.Option(..., "--time-limit", min=0.1, help="Seconds, counted from the command's start."),
    workers: int = typer.Option(2, "--workers", min=1, help="Solver threads (CP-SAT's; PDLP's where the LP runs)."),
    out: Path = typer.Option(..., "--out", help="Where to write the solution JSON."),
) -> None:
    """Find start periods that minimise the weighted completion (people-months still displaced)."""
    with user_errors():
        loaded = read_problem(problem)
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console) as bar:
            task = bar.add_task(f"solving {loaded.name}", total=None)

            def show(seconds: float, objective: int | None, bound: int) -> None:
                gap = "" if not objective else f"  gap {100 * (objective - bound) / objective:.1f}%"
                bar.update(task, description=f"{loaded.name}: best {objective}  bound {bound}{gap}")

            from homecoming.optimisation.sequencing.solve import solve as solve_problem  # the engines: only here

            engine_s = engine_seconds(time_limit, FINISH_CPU_S)
            result = solve_problem(loaded, time_limit=engine_s, workers=workers, progress=show)
        write_solution(result, out)
    gap = (
        ""
        if not result.objective
        else f" (gap {100 * (result.objective - result.lower_bound) / result.objective:.2f}%)"
    )
    console.print(
        f"{loaded.name}: {result.status}, objective {result.objective}, lower bound {result.lower_bound}{gap}, "
        f"{len(loaded.tasks)} tasks, {result.seconds:.1f} s -> {out}",
        soft_wrap=True,
    )


@app.command("check")
def check(
    problem: Path = typer.Argument(..., help="The problem file the solution answers."),
    solution: Path = typer.Argument(..., help="A homecoming-sequencing-solution/1 JSON file."),
) -> None:
    """Verify a solution independently: precedences, capacities per period, horizon, goals, objective."""
    with user_errors():
        loaded = read_problem(problem)
        result = read_solution(solution)
    found = check_solution(loaded, result.starts, result.goals, result.objective, result.lower_bound)
    if found:
        errors.print(f"[bold red]{len(found)} violation(s)[/bold red] in {solution}:")
        for violation in found[:MAX_SHOWN_VIOLATIONS]:
            errors.print(f"  {violation.kind}: {violation.message}", soft_wrap=True)
        if len(found) > MAX_SHOWN_VIOLATIONS:
            errors.print(f"  ... and {len(found) - MAX_SHOWN_VIOLATIONS} more")
        raise typer.Exit(1)
    console.print(
        f"{solution}: valid, objective {result.objective} ({len(loaded.tasks)} tasks checked)", soft_wrap=True
    )


@app.command("generate")
def generate(
    settlements: int = typer.Option(..., "--settlements", min=1, help="Number of settlements."),
    seed: int = typer.Option(0, "--seed", help="Same seed, same programme."),
    out: Path = typer.Option(..., "--out", help="Where to write the problem JSON."),
) -> None:
    """Write a seeded national programme (districts, settlements, deminers, crews, yearly budget)."""
    with user_errors():
        problem = generate_programme(settlements, seed)
        write_problem(problem, out)
    console.print(f"{problem.name}: {len(problem.tasks)} tasks, {len(problem.goals)} settlements, "
                  f"{problem.periods} periods -> {out}")  # fmt: skip
