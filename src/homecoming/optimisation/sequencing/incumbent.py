"""The incumbent of a sequencing run: the best plan and bound so far, whichever phase found them."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from homecoming.optimisation.sequencing import cpsat
from homecoming.optimisation.sequencing.guided import LpRun, guidance
from homecoming.optimisation.sequencing.sgs import Layout, objective

GUIDE_EVERY = 3.0  # seconds at least between two decodings of the relaxed schedule while the bound improves


class Best:
    """The best plan found so far and the best bound, shared by the engine's phases: the bound's process beside
    them (its bound, and plans decoded from its relaxed schedule), CP-SAT's progress reports, and the progress
    callback told of every improvement."""

    def __init__(self, lay: Layout, start: list[int] | None, began: float, progress: cpsat.Progress | None) -> None:
        self.lay, self.start, self.began, self.progress = lay, start, began, progress
        self.on_plan: Callable[[int], None] | None = None  # told of every plan CP-SAT finds, from its thread
        self.value = None if start is None else objective(lay, start)
        self.bound = 0
        self.lp: LpRun | None = None  # the bound's process running beside the search, due by `lp_due`
        self.lp_due = 0.0
        self.lp_mean: list[float] | None = None  # the relaxed schedule last used (for the LNS)
        self.used = 0  # the bound process's answers whose relaxed schedule gave plans so far
        self.guided = -math.inf  # when the plans were last decoded from a relaxed schedule

    def listen(self, *, now: bool = False) -> bool:
        """Take the bound process's latest answer: its bound, and (every GUIDE_EVERY seconds at most, or `now`) the
        plans its relaxed schedule gives. True if one of them became the best plan."""
        if self.lp is None:
            return False
        count, bound, mean = self.lp.latest()
        self.raise_bound(bound)
        if mean is None or count == self.used or (not now and time.monotonic() < self.guided + GUIDE_EVERY):
            return False
        self.used, self.guided, self.lp_mean = count, time.monotonic(), mean
        return any([self.offer(plan) for plan in guidance(self.lay, bound, mean).plans])

    def workers(self, wanted: int) -> int:
        """CP-SAT's workers for a call starting now: one fewer while the bound's process runs (it has a core of
        its own), so that the solver's threads and the process do not share the cores the caller asked for."""
        busy = self.lp is not None and not self.lp.done()
        return max(1, wanted - busy)

    def collect(self, *, wait_until: float) -> None:
        """The bound process's last answer (waiting until `wait_until` at most; then it is stopped)."""
        if self.lp is not None:
            self.lp.stop(wait_until=wait_until)
            self.listen(now=True)
            self.lp = None

    def offer(self, start: list[int] | None) -> bool:
        if start is None:
            return False
        value = objective(self.lay, start)
        if self.value is None or value < self.value:
            self.start, self.value = start, value
            self.report()
            return True
        return False

    def raise_bound(self, bound: int | None) -> None:
        if bound is not None and bound > self.bound:
            self.bound = bound
            self.report()

    def relay(self, seconds: float, value: int | None, bound: int) -> None:
        """A CP-SAT progress report, merged with what the other phases found."""
        if value is not None and self.on_plan is not None:
            self.on_plan(value)
        if self.progress is not None:
            both = [v for v in (value, self.value) if v is not None]
            self.progress(seconds, min(both) if both else None, max(bound, self.bound))

    def report(self) -> None:
        if self.progress is not None:
            self.progress(time.monotonic() - self.began, self.value, self.bound)
