"""Risk's compiled loops: the serial SGS (`sequencing.kernel.place`, the one the planner uses) run scenario by
scenario in machine code, and the walk back along the causes it records to the works that made a settlement late.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

from homecoming.optimisation.risk.model import IntArray
from homecoming.optimisation.sequencing.kernel import place


def _retime_all(order: Any, duration: Any, links: Any, uses: Any, capacity: Any, start: Any, end: Any, cause: Any
                ) -> int:  # fmt: skip
    """Fills start/end/cause ([scenarios, tasks]) from fresh capacity ([resources, horizon]) in every scenario;
    returns the placements that did not fit before the horizon."""
    resources, horizon = capacity.shape
    overrun = 0
    free = np.empty_like(capacity)
    released = np.empty((resources, horizon + 1), dtype=np.int64)
    for s in range(duration.shape[0]):
        free[:] = capacity
        released[:] = -1
        overrun += place(order, duration[s], links, uses, free, start[s], end[s], cause[s], released)
    return overrun


def _chains(
    end: IntArray, cause: IntArray, goal_ptr: IntArray, goal_idx: IntArray, plan_end: IntArray,
    plan_ready: IntArray, ready: IntArray, critical: IntArray,
) -> None:  # fmt: skip
    """Fills ready ([scenarios, goals]) and adds to critical ([tasks]) the scenarios in which each task is on the
    chain of a late settlement (bench/risk_peers.critical_tasks is the same rule in NumPy)."""
    seen = np.full(end.shape[1], -1, dtype=np.int64)
    for s in range(end.shape[0]):
        for g in range(goal_ptr.shape[0] - 1):
            current, latest = -1, 0
            for k in range(goal_ptr[g], goal_ptr[g + 1]):
                if current < 0 or end[s, goal_idx[k]] > latest:
                    current, latest = goal_idx[k], end[s, goal_idx[k]]
            ready[s, g] = latest
            if latest <= plan_ready[g]:
                continue
            while current >= 0 and end[s, current] > plan_end[current]:
                if seen[current] != s:
                    seen[current] = s
                    critical[current] += 1
                current = cause[s, current]


# Compiled on first use in each process (a Dask worker compiles once, then reuses it for every chunk); the cache
# keeps the machine code next to this file when the folder is writable.
retime_all: Any = numba.njit(cache=True, nogil=True)(_retime_all)
chains: Any = numba.njit(cache=True, nogil=True)(_chains)
