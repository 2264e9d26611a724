"""The programmes' bound phase: the Lagrangian bound (`lagrangian`, the time-indexed LP's bound without the LP),
and plans its relaxed schedule suggests.

The bound runs in a process of its own beside the goal-ranking search: that search is pure Python on one core,
and the max-flow solver holds the interpreter's lock when called from a thread, so the second worker's core
does the bound. Where the process solves the disaggregated LP (`lp_guided`), PDLP takes every worker instead and
the search waits for its answer: the plans its α-points give are better than any the search finds before them.

The relaxed schedule (per task the disaggregated LP's α-point when PDLP has solved it, else the median start of
the Lagrangian's last minimum cuts: each task's start when resources are paid for instead of shared) plays the
part of the LP's solution: ordering tasks by its α-points, and goals by its completions, and decoding those
orders with the serial SGS, gives plans that follow the relaxation's idea of what comes first; they join the plans
the search found (the goal-ranking search goes on from the best of them), and the LNS frees tasks where the plan
starts them furthest after it. The bound's process ends once the LP has answered or the bound has converged, so
the plans get its core back (until then every CP-SAT call takes one worker fewer: `Best.workers`).
"""

from __future__ import annotations

import contextlib
import math
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from homecoming.optimisation.sequencing.lagrangian import lagrangian_bound
from homecoming.optimisation.sequencing.lp import lp_bound
from homecoming.optimisation.sequencing.sgs import Layout, activity_list, objective, serial_sgs, task_priority
from homecoming.optimisation.sequencing.timeindexed import LpBound, cells, time_indexed_bound, time_indexed_mip_bound


@dataclass(frozen=True)
class Guidance:
    bound: int | None
    plans: list[list[int]]  # starts decoded from the relaxed schedule's orders (may be empty)
    mean: list[float] | None  # the relaxed start of every task (None when the relaxation gave none)


# The relaxed schedule's α-points tried as task orders: start + α * duration (measured at 100 and 300 settlements:
# α = 1/2 of the Lagrangian's median relaxed starts gives plans 2 to 5 % better than the best cut's starts or the
# goal order; the LP's half-started points are best as they are, α = 0: 1.048 x the plain LP against 1.060 with
# α = 1/2 at 100 settlements, seed 13, the exact LP's points)
ALPHAS = (0.0, 0.5, 0.25, 0.75)


def _lp_orders(lay: Layout, mean: list[float]) -> list[list[int]]:
    """Plans from the relaxed schedule: its α-points as task orders, and its goal completions as goal order."""
    plans = []
    tie = [1e-6 * s for s in lay.latest]
    orders = [[m + a * d + t for m, d, t in zip(mean, lay.durations, tie, strict=True)] for a in ALPHAS]
    ends = [max((mean[i] + lay.durations[i] for i in tasks), default=0.0) for tasks in lay.goal_tasks]
    orders.append(task_priority(lay, [e - 1e-9 * w for e, w in zip(ends, lay.weights, strict=True)]))
    for priority in orders:
        start = serial_sgs(lay, activity_list(lay, priority))
        if start is not None:
            plans.append(start)
    return plans


# The goal-energy LP on buckets of at most this many cells: 2 s at 1,000 settlements, a first bound that holds if the
# Lagrangian's first max flows are slow on a loaded machine
ENERGY_CELLS = 10_000
UNTIMED_ITERATIONS = 60  # the subgradient method's length when there is no deadline: the same answer at any speed


def _child() -> None:
    """The bound's process: (layout, deadline, plan, PDLP's threads) pickled on stdin; on stdout, pickled, the
    bound and the relaxed starts, each answer as soon as it is known (a later one is better; the parent keeps the
    last whole one). The goal-energy LP (`lp.py`, no starts) answers first. Then, with a deadline, the
    disaggregated time-indexed LP by PDLP (`_lp_guide`, on that many threads): when it gives a bound and α-points,
    its answer (the α-points of the α whose order decodes best as the relaxed schedule) is the last, and the
    process ends, so the plans get its cores. Otherwise the Lagrangian's subgradient method (from the LP's
    resource duals as prices, when there are some) runs until the deadline or until it converges, the plan's value
    its Polyak target, each better bound answered with the relaxed schedule, and the last one at the end. On a
    small programme the integer model's branch and cut then raises the bound until the deadline
    (`_integer_bound`)."""
    lay, deadline, plan, threads = pickle.load(sys.stdin.buffer)
    best = lp_bound(lay, time_limit=deadline - time.monotonic(), max_cells=ENERGY_CELLS) or 0
    if best:
        _answer(best, None)
    lp, guide = _lp_guide(lay, deadline, threads)
    if lp is not None:
        best = max(best, lp.bound or 0)
        _answer(best, guide)
        if lp.bound is not None and guide is not None:
            return  # the Lagrangian after the LP lifted the bound by 0.01 % at 300 settlements: the plans want the core

    def better(bound: int, relaxed: list[float]) -> None:
        if bound > best:
            _answer(bound, guide or relaxed)

    most = 10_000 if math.isfinite(deadline) else UNTIMED_ITERATIONS
    target = float(objective(lay, plan)) if plan is not None else 0.0
    prices = None if lp is None else lp.prices
    found = lagrangian_bound(lay, target=target, deadline=deadline, prices=prices, max_iterations=most,
                             on_better=better)  # fmt: skip
    best = max(best, found.bound)
    guide = guide or found.guide or None
    if guide:  # the last relaxed schedule, which guides the plans even when the bound is not better
        _answer(best, guide)
    _integer_bound(lay, deadline, plan, best, guide)


# The disaggregated LP by PDLP (one thread) on programmes of more than MIP_CELLS (below) and at most GUIDE_CELLS start
# cells, for GUIDE_SHARE of the time to the bound's deadline, or until PDLP's relative gap and residuals are within
# GUIDE_TOLERANCE. Its α-points order the tasks far better than the Lagrangian's cuts do (measured from the same
# start, 30 s of LNS after: 100 settlements seed 13, the exact LP's points 1.032 x the plain LP, PDLP's after 20 s
# 1.034, the engine's 60 s plan 1.045). The longer PDLP runs the better its points at 300 settlements (seed 7, one
# thread, decoded: 1.040 x the plain LP after 20 s, 1.037 after 30 s, 1.031 after 40 s; then LNS to 57 s: 1.031
# from the 30 s points, 1.029 from the 40 s ones), so it runs almost to the bound's deadline unless it converges
# first: at 100 settlements (seed 13) in 6.9 s, its points as good as the exact LP's; at 300 (seed 13) in 24 s alone
# on the machine and 27 to 34 s in the engine (by the hour), its points decoded 1.040 against 1.044 when stopped at
# 3e-4
GUIDE_CELLS = 250_000
GUIDE_SHARE = 0.95
GUIDE_TOLERANCE = 1e-4


def lp_guided(lay: Layout, deadline: float) -> bool:
    """Whether the bound's process, due by `deadline`, solves the disaggregated LP by PDLP (`_lp_guide`)."""
    return math.isfinite(deadline) and MIP_CELLS < cells(lay) <= GUIDE_CELLS


def _lp_guide(lay: Layout, deadline: float, threads: int) -> tuple[LpBound | None, list[float] | None]:
    """The disaggregated LP's answer (its bound and prices) when there is time for it, none without a deadline
    (it would depend on the machine's speed), on larger programmes, or on small ones (the integer model's: there
    PDLP reaches GUIDE_TOLERANCE in 0.5 to 1.1 s, but its α-points decode to plans no better than the planner's rule,
    at 12 settlements seed 13 206,109 against 191,516, and SCIP's bound is higher than the LP's);
    and of its α-points the ones whose order decodes to the best plan (which α is best varies from one programme
    and one stop of PDLP to another)."""
    if not lp_guided(lay, deadline):
        return None, None
    limit = GUIDE_SHARE * (deadline - time.monotonic())
    found = time_indexed_bound(lay, solver="pdlp", time_limit=limit, tolerance=GUIDE_TOLERANCE, threads=threads)
    if not found.started_by:
        return found, None
    plans = [(serial_sgs(lay, activity_list(lay, points)), points) for points in found.started_by.values()]
    return found, min(((objective(lay, s), p) for s, p in plans if s is not None), default=(0, None))[1]


# The integer model (`timeindexed.time_indexed_mip_bound`) after the Lagrangian, on programmes of at most this many
# start cells (16 to 18 settlements), when at least MIP_LEAST seconds are left before the deadline. Measured in 60 s
# runs, the engine's bound against the Lagrangian's: +6 to +9 % at 6 settlements, +1.5 to +5.9 % at 8, +0.9 to
# +3.6 % at 12, +1.3 to +2.2 % at 16 and 18, the plans within the runs' spread (docs/sequencing.md); at 24
# settlements (13,245 cells) SCIP had not finished its root in 40 s
MIP_CELLS = 10_000
MIP_LEAST = 5.0
MIP_MARGIN = 1.0  # seconds kept before the deadline: SCIP may overrun its time limit a little


def _integer_bound(lay: Layout, deadline: float, plan: list[int] | None, best: int, guide: list[float] | None) -> None:
    """The integer model's bound (SCIP from `plan`), answered if better than `best` (with the relaxed schedule
    `guide`: the parent keeps only the last answer). Not without a deadline (its proof could take hours) nor
    without a plan (SCIP then reports no bound)."""
    left = deadline - time.monotonic() - MIP_MARGIN
    if plan is None or not math.isfinite(deadline) or left < MIP_LEAST or cells(lay) > MIP_CELLS:
        return
    found = time_indexed_mip_bound(lay, time_limit=left, plan=plan)
    if found.bound > best:
        _answer(found.bound, guide)


def _answer(bound: int | None, mean: list[float] | None) -> None:
    pickle.dump((bound, mean), sys.stdout.buffer)
    sys.stdout.flush()


def _answers(stream: IO[bytes]) -> Iterator[tuple[int | None, list[float] | None]]:
    """The child's whole answers as they come, until it ends (an answer cut off by its stop is left out)."""
    with contextlib.suppress(EOFError, pickle.UnpicklingError, ValueError, OSError):
        while True:
            yield pickle.load(stream)


class LpRun:
    """The bound, started now in a process of its own (a fresh interpreter: no fork of a process that runs solver
    threads, no re-import of the caller's script), due by `deadline` (time.monotonic()); `plan`: the best plan so
    far (starts), if any; `threads`: PDLP's, where it solves the LP (`lp_guided`). Its answers are read as they
    come: `latest` is the last one so far."""

    def __init__(self, lay: Layout, *, deadline: float, plan: list[int] | None, threads: int = 1) -> None:
        self.lay = lay
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from homecoming.optimisation.sequencing.guided import _child; _child()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.answer: tuple[int, int | None, list[float] | None] = (0, None, None)  # (answers so far, bound, starts)
        self.guided = threading.Event()  # set once an answer carries a relaxed schedule, or the process has ended
        data = pickle.dumps((lay, deadline, plan, threads))
        self.talk = threading.Thread(target=self._talk, args=(data,), daemon=True)
        self.talk.start()  # a thread: the pipe holds 64 KiB, the child reads the rest once it has started

    def _talk(self, data: bytes) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        with contextlib.suppress(OSError, ValueError):  # the child was stopped
            self.process.stdin.write(data)
            self.process.stdin.close()
        for count, (bound, mean) in enumerate(_answers(self.process.stdout), start=1):
            self.answer = (count, bound, mean)  # one assignment: the search's thread reads it whole
            if mean is not None:
                self.guided.set()
        self.guided.set()

    def done(self) -> bool:
        return not self.talk.is_alive()

    def wait_for_guide(self, *, until: float) -> None:
        """Waits until an answer carries a relaxed schedule, the process has ended, or `until` (time.monotonic())."""
        self.guided.wait(max(0.0, until - time.monotonic()))

    def latest(self) -> tuple[int, int | None, list[float] | None]:
        """The last whole answer so far, with how many came before it and itself (0: none yet)."""
        return self.answer

    def stop(self, *, wait_until: float) -> None:
        """Waits for the process until `wait_until` at most, then stops it."""
        self.talk.join(max(0.0, wait_until - time.monotonic()) if math.isfinite(wait_until) else None)
        if self.talk.is_alive():
            self.process.kill()
            self.talk.join()
        self.process.wait()


def guidance(lay: Layout, bound: int | None, mean: list[float] | None) -> Guidance:
    """An answer of the bound's process with the plans its relaxed schedule gives."""
    return Guidance(bound, _lp_orders(lay, mean) if mean is not None else [], mean)
