"""Our engine: priority-rule warm start -> CP-SAT with hints and energy delays -> LNS, with an LP lower bound.

The makespan case (PSPLIB: one goal needing every task) takes its own paths:

* up to J30 size (`makespan`): a preemptive lower bound, a second of the genetic search (`genetic`), then the
  question "a plan one period shorter than the best?" put to the branch and bound (`branch`, one thread) and
  to the tight model with conflict cliques (the other workers) side by side, until one proves there is none;
* beyond: CP-SAT for a short look (the easy instances end there, proven), then the genetic search, then CP-SAT
  with its LNS from the genetic plan. On J120 the genetic search finds much shorter plans than CP-SAT does in
  the same time (measured: `bench/sequencing.py`), and CP-SAT still proves the instances it can.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from ortools.sat.python import cp_model

from homecoming.optimisation.sequencing import branch, cpsat, genetic, lns, makespan
from homecoming.optimisation.sequencing.bounds import closure, energy_delays
from homecoming.optimisation.sequencing.check import check_solution
from homecoming.optimisation.sequencing.guided import LpRun, lp_guided
from homecoming.optimisation.sequencing.incumbent import Best
from homecoming.optimisation.sequencing.model import Problem, Result, Status, goal_completions, validate
from homecoming.optimisation.sequencing.ranking import improve_ranking
from homecoming.optimisation.sequencing.sgs import (
    Layout,
    activity_list,
    completions,
    goal_rules,
    layout,
    objective,
    serial_sgs,
    task_priority,
    task_rules,
)


def rule_schedule(lay: Layout, given: Sequence[int] | None = None) -> tuple[str, list[int], list[int]] | None:
    """The best schedule of the priority rules (goal rules, the classic task rules) and `given`, with the
    goal ranking that produced it (the goals by completion when it came from a task rule)."""
    candidates: list[tuple[str, list[int]]] = []
    if given is not None:
        candidates.append(("given", list(given)))
    if len(lay.weights) > 1:
        for name, rank in goal_rules(lay).items():
            start = serial_sgs(lay, activity_list(lay, task_priority(lay, rank)))
            if start is not None:
                candidates.append((name, start))
    for name, priority in task_rules(lay).items():
        start = serial_sgs(lay, activity_list(lay, priority))
        if start is not None:
            candidates.append((name, start))
    if not candidates:
        return None
    name, start = min(candidates, key=lambda c: objective(lay, c[1]))
    return name, start, _goal_order(lay, start)


def _makespan_horizon(problem: Problem, upper: int) -> Problem:
    """One goal needing every task: nothing can end after the warm start's makespan in a better plan."""
    if len(problem.goals) == 1 and problem.goals[0].weight > 0:
        needed = set(problem.goals[0].requires)
        if all(t.id in needed for t in problem.tasks):
            return replace(problem, periods=min(problem.periods, upper // problem.goals[0].weight))
    return problem


# The makespan case beyond J30 size: CP-SAT first for a short look (easy instances end there, proven), then the
# genetic search until this share of the time limit, then CP-SAT from its plan for the rest
FIRST_LOOK, GENETIC_UNTIL = 0.2, 0.6
GENETIC_PROOF = 1.0  # seconds at most of genetic search before the proof (J30 size)
# The Lagrangian bound of a programme (in a process beside the ranking search; every answer it sends holds): due by
# this share of the time limit, waited for this many seconds more at most
LP_SHARE, LP_GRACE = 0.7, 6.0
SMALL_GOALS = 400
SMALL_TASKS = 1500
# Seconds at most of CP-SAT on a whole programme (up to SMALL_TASKS tasks) after the ranking search: it proves small
# programmes in them; on larger ones the LNS improves the plan 2 to 3 times faster (measured at 100 settlements: 0.6 %
# in the 12 s of the whole model, 1.4 % in the LNS's next 12 s)
FULL_LOOK = 3.0
UNTIMED_RANKING_MOVES = 2_000  # the ranking search has no end of its own: its length when there is no time limit
RANK_SLICE = 1.0  # seconds of ranking search between looks at the bound's process


def solve(
    problem: Problem,
    *,
    time_limit: float,
    workers: int = 2,
    warm_start: Mapping[str, int] | None = None,
    progress: cpsat.Progress | None = None,
) -> Result:
    """Minimise sum(weight * completion) within `time_limit` seconds; the result carries a proven lower bound.

    `time_limit=math.inf` means no time limit: the solve ends when optimality is proven, so the status and the
    objective no longer depend on the machine's speed (the tests prove small instances that way). Only for
    instances small enough to prove: on a large one it may run for a very long time."""
    began = time.monotonic()
    validate(problem)
    lay = layout(problem)
    found = rule_schedule(lay, _given(problem, warm_start))
    best = Best(lay, None if found is None else found[1], began, progress)
    best.raise_bound(sum(w * c for w, c in zip(lay.weights, _earliest_completions(lay), strict=True)))
    if best.value is not None and _makespan_horizon(problem, best.value).periods < problem.periods:
        lay = layout(_makespan_horizon(problem, best.value))
        best.lay = lay

    def left() -> float:
        return time_limit - (time.monotonic() - began)

    if found is not None and len(lay.durations) <= makespan.PROOF_TASKS and makespan.is_makespan(problem, lay):
        return _result(problem, lay, best, _makespan_model(problem, lay, best, workers, left), began)
    if found is not None and makespan.is_makespan(problem, lay):
        if _full_model(lay, best, workers, FIRST_LOOK * time_limit, left):
            return _result(problem, lay, best, True, began)
        lay = _evolve(problem, lay, best, deadline=began + GENETIC_UNTIL * time_limit)
    if len(lay.weights) == 1 or found is None:
        proven = _full_model(lay, best, workers, left(), left)
        return _result(problem, lay, best, proven, began)
    _rank(lay, best, found[2], workers, time_limit, left)
    if best.value is not None and best.bound >= best.value:
        return _result(problem, lay, best, False, began)
    look = 0.25 * left() if not math.isfinite(time_limit) else min(0.25 * left(), FULL_LOOK)
    proven = len(lay.durations) <= SMALL_TASKS and _full_model(lay, best, workers, look, left)
    if not proven and best.start is not None:
        _search(lay, best, workers, left)
    return _result(problem, lay, best, proven, began)


def _rank(lay: Layout, best: Best, ranking: list[int], workers: int, limit: float, left: Callable[[], float]) -> None:
    """The lower bound and the goal-ranking search. The bound (the Lagrangian, after a first goal-energy LP) starts
    in its own process and runs beside this search and the next phases (`Best.collect` takes its answer). When it
    answers during the search, the search goes on from the goal order of the best plan, if a guided plan is it.
    Where the bound is the disaggregated LP's (`lp_guided`), PDLP takes the workers and the search starts once its
    α-points have come (what the search would find before them does not last: at 100 and 300 settlements their
    plans are 4 to 6 % better)."""
    share = 0.4 if len(lay.weights) <= SMALL_GOALS else 0.1  # the ranking search pays off on smaller programmes
    best.lp_due = time.monotonic() + min(LP_SHARE * limit, left())
    best.lp = LpRun(lay, deadline=best.lp_due, plan=best.start, threads=workers)  # the threads are PDLP's only
    if lp_guided(lay, best.lp_due):
        best.lp.wait_for_guide(until=best.lp_due)
    if not math.isfinite(limit):  # no time limit: the same answer at any speed
        improve_ranking(lay, ranking, deadline=math.inf, on_better=best.offer, moves=UNTIMED_RANKING_MOVES)
        best.collect(wait_until=math.inf)
        return
    until, seed = time.monotonic() + share * left(), 0
    while time.monotonic() < until:
        if best.listen() and best.start is not None:
            ranking = _goal_order(lay, best.start)
        value = best.value
        ranking, _ = improve_ranking(lay, ranking, deadline=min(until, time.monotonic() + RANK_SLICE), seed=seed,
                                     on_better=best.offer)  # fmt: skip
        if best.lp_mean is not None and best.value == value:
            break  # the relaxed schedule guides the plans and the ranking search no longer improves them: the LNS
        seed += 1


def _goal_order(lay: Layout, start: Sequence[int]) -> list[int]:
    """The goals by completion in a plan (the heavier first on a tie)."""
    ends = completions(lay, start)
    return sorted(range(len(ends)), key=lambda g: (ends[g], -lay.weights[g]))


def _genetic(lay: Layout, best: Best, deadline: float) -> None:
    """The genetic search from the best plan, until `deadline` or the proven lower bound."""
    assert best.start is not None
    best.offer(genetic.evolve(lay, [best.start], deadline=deadline, floor=best.bound // lay.weights[0])[0])


def _evolve(problem: Problem, lay: Layout, best: Best, *, deadline: float) -> Layout:
    """The makespan case beyond J30 size: the genetic search improves the warm start, whose makespan then
    narrows every start window for CP-SAT."""
    _genetic(lay, best, deadline)
    assert best.value is not None
    best.lay = layout(_makespan_horizon(problem, best.value))
    return best.lay


def _given(problem: Problem, starts: Mapping[str, int] | None) -> list[int] | None:
    if starts is None or check_solution(problem, starts):
        return None
    return [starts[t.id] for t in problem.tasks]


def _earliest_completions(lay: Layout) -> list[int]:
    return [max((lay.earliest[i] + lay.durations[i] for i in t), default=0) for t in lay.goal_tasks]


def _tight_model(lay: Layout, best: Best) -> cpsat.Model:
    """The model with the bounds our engine knows: start windows, energy delays, the incumbent as ceiling."""
    built = cpsat.build(lay, tight=True)
    delays = energy_delays(lay)
    for i, j, d in delays.tasks:
        built.model.add(built.starts[j] >= built.starts[i] + d)
    for i, g, d in delays.goals:
        built.model.add(built.completions[g] >= built.starts[i] + d)
    if best.value is not None:
        built.model.add(built.objective <= best.value)
    return built


def _run_full(
    built: cpsat.Model,
    best: Best,
    workers: int,
    time_limit: float,
    configure: Callable[[cp_model.CpSolver], None] | None = None,
) -> bool:
    """CP-SAT on the whole model with the incumbent as hint; True if it proved optimality."""
    run = cpsat.run(built, time_limit=time_limit, workers=best.workers(workers), began=best.began,
                    progress=best.relay, hint=best.start, configure=configure)  # fmt: skip
    best.offer(run.start)
    if run.status == "infeasible" and best.value is not None:
        best.raise_bound(best.value)  # nothing better than the incumbent exists
        return True
    best.raise_bound(run.bound)
    return run.status == "optimal" or (best.value is not None and best.bound >= best.value)


def _full_model(lay: Layout, best: Best, workers: int, share: float, left: Callable[[], float]) -> bool:
    """CP-SAT on the whole model with the incumbent as hint and energy delays; True if it proved optimality."""
    return _run_full(_tight_model(lay, best), best, workers, min(share, left()))


def _makespan_model(problem: Problem, lay: Layout, best: Best, workers: int, left: Callable[[], float]) -> bool:
    """The makespan case: the preemptive lower bound, the genetic search, then a plan one period shorter than
    the best is asked for until none exists."""
    assert best.start is not None
    weight = lay.weights[0]
    after = closure(lay)
    lower = makespan.preemptive_bound(lay, after, time_limit=min(2.0, 0.2 * left()), workers=workers)
    best.raise_bound(weight * lower)
    _genetic(lay, best, time.monotonic() + min(GENETIC_PROOF, 0.1 * left()))
    while best.value is not None and best.bound < best.value and left() > 0.05:
        value = best.value
        if _shorter(problem, best, after, workers, left):
            return True
        if best.value == value:
            return False  # time ran out
    return best.value is not None and best.bound >= best.value


class _Race:
    """The branch and bound and CP-SAT asked the same question: the first to answer stops the other."""

    def __init__(self, problem: Problem, weight: int, left: Callable[[], float]) -> None:
        self.problem, self.weight, self.left = problem, weight, left
        self.solver: cp_model.CpSolver | None = None
        self.solver_done = False
        self.asked = 0
        self.shorter: Layout | None = None  # the layout of the question asked
        self.attempt: branch.Attempt | None = None

    def ask(self, value: int) -> None:
        """(Re)start the branch and bound on: is there a plan shorter than `value`?"""
        if self.attempt is not None:
            self.attempt.finish(wait=0.0)
        self.asked = value
        self.shorter = layout(_makespan_horizon(self.problem, value - self.weight))
        self.attempt = branch.Attempt(self.shorter, value // self.weight - 1, self.left(), self.stop_solver)

    def on_plan(self, value: int) -> None:
        """CP-SAT found a plan (in its thread): the branch and bound's question is answered, so it moves on to
        the next one while CP-SAT keeps its search."""
        if value < self.asked:
            self.ask(value)

    def stop_solver(self, outcome: int) -> None:  # called from the branch and bound's thread
        while outcome != branch.UNKNOWN and not self.solver_done:
            if self.solver is not None:
                self.solver.stop_search()  # repeated: a stop sent before the solve begins is lost
            time.sleep(0.01)


def _shorter(problem: Problem, best: Best, after: list[set[int]], workers: int, left: Callable[[], float]) -> bool:
    """Is there a plan one period shorter than the best? The branch and bound (one thread) and CP-SAT with the
    makespan extras (the other workers) side by side. True if none exists: the best is optimal."""
    assert best.value is not None
    weight = best.lay.weights[0]
    race = _Race(problem, weight, left)
    race.ask(best.value)
    shorter = race.shorter
    assert shorter is not None
    built = _tight_model(shorter, best)
    built.model.add(built.objective <= best.value - weight)
    makespan.strengthen(built, shorter, after, best.bound // weight)

    def configure(solver: cp_model.CpSolver) -> None:
        makespan.proof_portfolio(solver)
        race.solver = solver

    best.on_plan = race.on_plan
    proven = _run_full(built, best, max(1, workers - 1), left(), configure)
    best.on_plan = None
    race.solver_done = True
    assert race.attempt is not None
    outcome = race.attempt.finish(wait=0.1)
    if outcome == branch.INFEASIBLE:
        best.raise_bound(race.asked)  # no plan ends a period sooner than the one asked about
        return best.value == race.asked
    if outcome == branch.FEASIBLE:
        best.offer(race.attempt.starts)
    return proven


def _search(lay: Layout, best: Best, workers: int, left: Callable[[], float]) -> None:
    """LNS: neighbourhoods freed and re-optimised by CP-SAT, the kind of neighbourhood drawn by what each kind has
    gained per second so far (`lns.Pickers`); those where the relaxed schedule and the plan disagree join once the
    bound's process has answered with a relaxed schedule."""
    assert best.start is not None
    rng = random.Random(0)
    free_by = {"time": lns.time_window, "goals": lns.goal_window, "random goals": lns.random_goals}
    pickers = lns.Pickers(list(free_by), 120, len(lay.durations), rng)
    round_ = 0
    while left() > 0.5 and (best.value or 0) > best.bound:  # a round's CP-SAT can overrun its limit a little
        best.listen()
        if best.lp is not None and (best.lp.done() or time.monotonic() > best.lp_due + LP_GRACE):
            best.collect(wait_until=time.monotonic())
        mean = best.lp_mean
        if mean is not None:
            pickers.add("relaxed")
        name = pickers.draw()
        began, before = time.monotonic(), best.value or 0
        if name == "relaxed" and mean is not None:  # where the relaxed schedule and the plan disagree most
            free = lns.lp_late(lay, best.start, pickers.size[name], rng, mean)
            best.offer(lns.lp_repair(lay, best.start, free, mean))
        else:
            free = free_by[name](lay, best.start, pickers.size[name], rng)
        out = lns.reoptimise(lay, best.start, free, time_limit=min(left() - 0.3, 1.0), workers=best.workers(workers),
                             seed=round_)  # fmt: skip
        if out is not None:
            best.offer(out[0])
        gain = (before - (best.value or 0)) / max(before, 1)
        pickers.tell(name, gain, time.monotonic() - began, None if out is None else out[1])
        round_ += 1


def _result(problem: Problem, lay: Layout, best: Best, proven: bool, began: float) -> Result:
    best.collect(wait_until=time.monotonic())  # the LP's answer if it has one; its process ends here
    if best.start is None:
        status: Status = "infeasible" if proven else "unknown"
        return Result(problem.name, status, None, best.bound, {}, {}, time.monotonic() - began)
    starts = {t.id: s for t, s in zip(problem.tasks, best.start, strict=True)}
    goals = goal_completions(problem, starts)
    value = sum(g.weight * goals[g.id] for g in problem.goals)
    # The bound as computed: one above the plan is wrong, and stays visible (the checker reports it) instead of
    # being capped into a false "optimal"; a proof (CP-SAT's, the branch and bound's) is a bound equal to the plan.
    optimal = best.bound <= value and (proven or best.bound == value)
    bound = value if optimal else best.bound
    return Result(problem.name, "optimal" if optimal else "feasible", value, bound, starts, goals,
                  time.monotonic() - began)  # fmt: skip
