"""The programmes' bound phase: the Lagrangian bound (`lagrangian`, the time-indexed LP's bound without the LP),
and plans its relaxed schedule suggests.

The bound runs in a process of its own beside the goal-ranking search: that search is pure Python on one core,
and the max-flow solver holds the interpreter's lock when called from a thread, so the second worker's core
does the bound.

The relaxed schedule at the best prices (each task's start when resources are paid for instead of shared) plays
the part of the LP's α-points: ordering tasks by it, and goals by its completions, and decoding those orders
with the serial SGS, gives plans that follow the relaxation's idea of what comes first; they join the plans the
search found, and the LNS frees tasks where the plan starts them furthest after it.
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

from homecoming.optimisation.sequencing.lagrangian import lagrangian_bound
from homecoming.optimisation.sequencing.lp import lp_bound
from homecoming.optimisation.sequencing.sgs import Layout, activity_list, serial_sgs, task_priority


@dataclass(frozen=True)
class Guidance:
    bound: int | None
    plans: list[list[int]]  # starts decoded from the LP's orders (may be empty)
    mean: list[float] | None  # the relaxed start of every task (None when the relaxation gave none)


def _lp_orders(lay: Layout, mean: list[float]) -> list[list[int]]:
    plans = []
    alpha = [m + 1e-6 * lay.latest[i] for i, m in enumerate(mean)]
    ends = [max((mean[i] + lay.durations[i] for i in tasks), default=0.0) for tasks in lay.goal_tasks]
    for priority in (alpha, task_priority(lay, [e - 1e-9 * w for e, w in zip(ends, lay.weights, strict=True)])):
        start = serial_sgs(lay, activity_list(lay, priority))
        if start is not None:
            plans.append(start)
    return plans


# The goal-energy LP on buckets of at most this many cells: 2 s at 1,000 settlements, a first bound that holds if the
# Lagrangian's first max flows are slow on a loaded machine
ENERGY_CELLS = 10_000
UNTIMED_ITERATIONS = 60  # the subgradient method's length when there is no deadline: the same answer at any speed


def _child() -> None:
    """The bound's process: (layout, deadline, target) pickled on stdin; on stdout, pickled, the bound and the
    relaxed starts, each answer as soon as it is known (a later one is better; the parent keeps the last whole one).
    The goal-energy LP (`lp.py`, no starts) answers first; then the Lagrangian's subgradient method runs until the
    deadline, `target` (the warm start's value) its Polyak target, each better bound answered with its starts."""
    lay, deadline, target = pickle.load(sys.stdin.buffer)
    best = lp_bound(lay, time_limit=deadline - time.monotonic(), max_cells=ENERGY_CELLS) or 0
    if best:
        _answer(best, None)

    def better(bound: int, starts: list[int]) -> None:
        if bound > best:
            _answer(bound, [float(s) for s in starts])

    most = 10_000 if math.isfinite(deadline) else UNTIMED_ITERATIONS
    found = lagrangian_bound(lay, target=target, deadline=deadline, max_iterations=most, on_better=better)
    if found.starts and found.bound <= best:  # the relaxed starts guide the search even when the bound is not better
        _answer(best, [float(s) for s in found.starts])


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
    """The bound, started now in a process of its own (a fresh interpreter: no fork of a process that runs solver
    threads, no re-import of the caller's script), due by `deadline` (time.monotonic()); `target`: a plan's value."""

    def __init__(self, lay: Layout, *, deadline: float, target: float) -> None:
        self.lay = lay
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from homecoming.optimisation.sequencing.guided import _child; _child()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.answer: bytes = b""
        data = pickle.dumps((lay, deadline, target))
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
