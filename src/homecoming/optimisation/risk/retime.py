"""Re-timing the plan under sampled durations: the serial schedule-generation scheme for many scenarios at once.

Tasks go one by one in the plan's priority order, each placed by the one serial SGS of the planner
(`sequencing.kernel.place`, compiled), scenario by scenario (risk/kernel.py). The peers the benchmark measures it
against (NumPy vectorised over scenarios, a plain Python loop) are in bench/risk_peers.py.

Each placed task also records its *cause*: the predecessor whose end it waited for, or, when it waited for room on
a resource, the task that released that room at its start. Following causes back from the last task of a
settlement that is later than planned gives the chain of works that made it late (its critical chain).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from homecoming.optimisation.risk.model import Compiled, IntArray


@dataclass(frozen=True)
class Retimed:
    start: IntArray  # [scenarios, tasks]
    end: IntArray
    cause: IntArray  # [scenarios, tasks]: the task that set the start, -1 when none did
    overrun: int  # task placements that did not fit before the extended horizon (started at the horizon)


def retime(c: Compiled, duration: IntArray) -> Retimed:
    """Serial SGS in the plan's order for every row of `duration` ([scenarios, tasks]): the compiled loop."""
    from homecoming.optimisation.risk.kernel import retime_all

    a = c.arrays
    scenarios, tasks = duration.shape
    start = np.zeros((scenarios, tasks), dtype=np.int64)
    end = np.zeros((scenarios, tasks), dtype=np.int64)
    cause = np.full((scenarios, tasks), -1, dtype=np.int64)
    overrun = retime_all(c.order, np.ascontiguousarray(duration, dtype=np.int64), a.links, a.uses, a.capacity, start,
                         end, cause)  # fmt: skip
    return Retimed(start, end, cause, int(overrun))
