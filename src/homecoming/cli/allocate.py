"""`homecoming allocate ...`: households -> housing units -> convoys (issue 4)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from homecoming.cli.clock import engine_seconds
from homecoming.cli.output import console, errors, user_errors
from homecoming.optimisation.allocation import io
from homecoming.optimisation.allocation.check import check as check_solution
from homecoming.optimisation.allocation.generate import SHAPES, generate_shaped
from homecoming.optimisation.allocation.generate import generate as generate_problem
from homecoming.optimisation.allocation.model import validate

# CPU seconds per household writing the solution JSON takes (national shape, 350,000 households: 1.4-1.7 s), kept out
# of the solver's share of the time limit (scaled by the machine's slowness, clock.py)
WRITE_CPU_SECONDS = 5e-6

app = typer.Typer(help="Decide which household moves into which house, when, on which convoy.", no_args_is_help=True)


@app.command("solve")
def solve(
    problem_path: Path = typer.Argument(..., metavar="PROBLEM", help="Problem JSON file or CSV folder."),
    out: Path = typer.Option(..., "--out", help="Where to write the solution JSON."),
    time_limit: float = typer.Option(
        60.0, "--time-limit", help="Seconds the whole command may use (read, solve, write), from its start."
    ),
) -> None:
    """Solve an allocation problem and write the solution."""
    with user_errors():
        problem = io.load_problem(problem_path)
        for warning in validate(problem):
            errors.print(f"[yellow]warning[/yellow]: {warning}")
        with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console) as bar:
            task = bar.add_task("allocating", total=1.0)

            def progress(stage: str, done: float) -> None:
                bar.update(task, completed=done, description=stage)

            writing_s = WRITE_CPU_SECONDS * len(problem.households)
            from homecoming.optimisation.allocation.solve import allocate  # the engines: only here

            result = allocate(problem, time_limit=engine_seconds(time_limit, writing_s), progress=progress)
        io.write_solution(result, out)
    gap = 100.0 * (result.objective - result.lower_bound) / max(1, abs(result.objective))
    console.print(
        f"{result.status}: objective {result.objective}, lower bound {result.lower_bound} (gap {gap:.3f}%), "
        f"{len(result.placements)} placed, {len(result.unplaced)} unplaced, "
        f"{sum(c.vehicles for c in result.convoys)} vehicles, {result.seconds:.1f} s -> {out}"
    )


@app.command("check")
def check(
    problem_path: Path = typer.Argument(..., metavar="PROBLEM", help="Problem JSON file or CSV folder."),
    solution_path: Path = typer.Argument(..., metavar="SOLUTION", help="Solution JSON file."),
) -> None:
    """Verify every rule of a solution and recompute its objective; exit 1 listing violations."""
    with user_errors():
        problem = io.load_problem(problem_path)
        validate(problem)
        report = check_solution(problem, io.load_solution(solution_path))
    if report.violations:
        for line in report.violations[:100]:
            errors.print(f"[red]violation[/red]: {line}")
        if len(report.violations) > 100:
            errors.print(f"... and {len(report.violations) - 100} more")
        raise typer.Exit(1)
    console.print(
        f"valid: objective {report.objective} recomputed, {report.vehicles} vehicles "
        f"(bin-packing bound {report.vehicle_bound})"
    )


@app.command("generate")
def generate(
    households: int = typer.Option(..., "--households", min=1),
    settlements: int = typer.Option(..., "--settlements", min=1),
    periods: int = typer.Option(..., "--periods", min=1),
    seed: int = typer.Option(0, "--seed"),
    out: Path = typer.Option(..., "--out", help="A .json file, or a folder for the CSV form."),
    shape: str | None = typer.Option(None, "--shape", help=f"One of the benchmark family: {', '.join(SHAPES)}."),
) -> None:
    """Write a seeded synthetic problem."""
    if shape is not None and shape not in SHAPES:
        raise typer.BadParameter(f"unknown shape {shape!r}; choose one of {', '.join(SHAPES)}", param_hint="--shape")
    if shape is None:
        made = generate_problem(households, settlements, periods, seed)
    else:
        made = generate_shaped(households, settlements, periods, seed, SHAPES[shape])
    io.write_problem(made, out)
    console.print(f"wrote {households} households over {settlements} settlements to {out}")
