"""The programmes' LP phase: the time-indexed bound (`timeindexed`), and plans the LP suggests.

The LP runs in a process of its own beside the goal-ranking search: that search is pure Python on one core,
and the solver holds the interpreter's lock when called from a thread, so the second worker's core does the LP.

The LP's mean start of a task is its α-point (α = the mean); ordering tasks by it, and goals by the LP's
mean completion, and decoding those orders with the serial SGS, gives plans that follow the LP's idea of
what comes first; they join the plans the search found.
"""

from __future__ import annotations

import contextlib
import io
import math
import pickle
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from homecoming.optimisation.sequencing.lp import lp_bound
from homecoming.optimisation.sequencing.sgs import Layout, activity_list, serial_sgs, task_priority
from homecoming.optimisation.sequencing.timeindexed import time_indexed_bound

# The aggregated form: at 300 settlements PDLP gets nearer its optimum in 15 s than with the disaggregated form
FORM = "aggregated"


@dataclass(frozen=True)
class Guidance:
    bound: int | None
    plans: list[list[int]]  # starts decoded from the LP's orders (may be empty)
    mean: list[float] | None  # the LP's mean start of every task (None when the solver gave no point)


def _lp_orders(lay: Layout, mean: list[float]) -> list[list[int]]:
    plans = []
    alpha = [m + 1e-6 * lay.latest[i] for i, m in enumerate(mean)]
    ends = [max((mean[i] + lay.durations[i] for i in tasks), default=0.0) for tasks in lay.goal_tasks]
    for priority in (alpha, task_priority(lay, [e - 1e-9 * w for e, w in zip(ends, lay.weights, strict=True)])):
        start = serial_sgs(lay, activity_list(lay, priority))
        if start is not None:
            plans.append(start)
    return plans


# The goal-energy LP on ever finer buckets (at most this many cells): at 1,000 settlements the coarsest takes 2 s
# and gives 0.89 of the finest, which takes 14 s (measured on the shared machine). Below LP_CELLS only the coarsest
# runs, first: a bound that holds if the time-indexed LP does not finish in time on a loaded machine.
ENERGY_CELLS = (10_000, 40_000)


def _child() -> None:
    """The LP's process: (layout, deadline, threads, large) pickled on stdin; on stdout, pickled, the bound and the
    mean starts, each answer as soon as it is known (a later one is better; the parent keeps the last whole one).
    The goal-energy LP (`lp.py`, no mean starts) answers first; then, unless the programme is `large`, the
    time-indexed LP, PDLP stopping a little before the deadline (it overruns its limit by a second or so on a
    loaded machine)."""
    lay, deadline, threads, large = pickle.load(sys.stdin.buffer)
    best = 0
    for most in ENERGY_CELLS if large else ENERGY_CELLS[:1]:
        bound = lp_bound(lay, time_limit=deadline - time.monotonic(), max_cells=most)
        if bound is not None and bound > best:
            best = bound
            _answer(bound, None)
    if not large:
        limit = 0.8 * (deadline - time.monotonic()) - 1.0
        found = time_indexed_bound(lay, form=FORM, solver="pdlp", time_limit=limit, threads=threads)
        _answer(max(best, found.bound or 0) or None, found.mean_starts)


def _answer(bound: int | None, mean: list[float] | None) -> None:
    pickle.dump((bound, mean), sys.stdout.buffer)
    sys.stdout.flush()


def _last(data: bytes) -> tuple[int | None, list[float] | None]:
    """The last whole answer in the child's output ((None, None) when there is none)."""
    answer: tuple[int | None, list[float] | None] = (None, None)
    stream = io.BytesIO(data)
    with contextlib.suppress(EOFError, pickle.UnpicklingError, ValueError):
        while stream.tell() < len(data):
            answer = pickle.load(stream)
    return answer


class LpRun:
    """The time-indexed LP, started now in a process of its own (a fresh interpreter: no fork of a process that
    runs solver threads, no re-import of the caller's script), due by `deadline` (time.monotonic()); `large`: the
    goal-energy LP instead."""

    def __init__(self, lay: Layout, *, deadline: float, threads: int = 1, large: bool = False) -> None:
        self.lay = lay
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from homecoming.optimisation.sequencing.guided import _child; _child()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.answer: bytes = b""
        data = pickle.dumps((lay, deadline, threads, large))
        self.talk = threading.Thread(target=self._talk, args=(data,), daemon=True)
        self.talk.start()  # a thread: the pipe holds 64 KiB, the child reads the rest once it has started

    def _talk(self, data: bytes) -> None:
        with contextlib.suppress(OSError, ValueError):  # the child was stopped
            self.answer = self.process.communicate(data)[0]

    def done(self) -> bool:
        return not self.talk.is_alive()

    def result(self, *, wait_until: float) -> Guidance:
        """The bound and the LP's plans; waits for the LP until `wait_until` at most (then gives up on it)."""
        self.talk.join(max(0.0, wait_until - time.monotonic()) if math.isfinite(wait_until) else None)
        if self.talk.is_alive():
            self.process.kill()
            self.talk.join()
        self.process.wait()
        bound, mean = _last(self.answer)
        return Guidance(bound, _lp_orders(self.lay, mean) if mean is not None else [], mean)
