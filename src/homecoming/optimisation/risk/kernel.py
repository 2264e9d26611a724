"""The re-timing's hot loop compiled with Numba: the serial SGS of `retime_plain`, scenario by scenario, in machine
code. The problem goes in as flat arrays (CSR lists of predecessors and demands) because compiled code takes
arrays, not Python objects; `flatten` builds them once per compiled plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numba
import numpy as np

from homecoming.optimisation.risk.model import Compiled, IntArray


@dataclass(frozen=True)
class Flat:
    order: IntArray
    pred_ptr: IntArray  # predecessors of task i: pred_idx[pred_ptr[i]:pred_ptr[i + 1]]
    pred_idx: IntArray
    dem_ptr: IntArray  # demands of task i: (dem_res, dem_amt)[dem_ptr[i]:dem_ptr[i + 1]]
    dem_res: IntArray
    dem_amt: IntArray
    capacity: IntArray  # [resources, horizon]
    goal_ptr: IntArray  # required tasks of goal g: goal_idx[goal_ptr[g]:goal_ptr[g + 1]]
    goal_idx: IntArray
    plan_end: IntArray
    plan_ready: IntArray


def flatten(c: Compiled) -> Flat:
    pred_ptr = np.cumsum([0, *(len(p) for p in c.predecessors)]).astype(np.int64)
    dem_ptr = np.cumsum([0, *(len(d) for d in c.demands)]).astype(np.int64)
    return Flat(
        order=np.array(c.order, dtype=np.int64),
        pred_ptr=pred_ptr,
        pred_idx=np.array([p for ps in c.predecessors for p in ps], dtype=np.int64),
        dem_ptr=dem_ptr,
        dem_res=np.array([r for d in c.demands for r, _ in d], dtype=np.int64),
        dem_amt=np.array([a for d in c.demands for _, a in d], dtype=np.int64),
        capacity=np.ascontiguousarray(c.capacity, dtype=np.int64),
        goal_ptr=np.cumsum([0, *(len(g) for g in c.goal_tasks)]).astype(np.int64),
        goal_idx=np.array([t for g in c.goal_tasks for t in g], dtype=np.int64),
        plan_end=c.plan_end.astype(np.int64),
        plan_ready=c.plan_ready.astype(np.int64),
    )


def _retime_all(
    order: IntArray, duration: IntArray, pred_ptr: IntArray, pred_idx: IntArray, dem_ptr: IntArray,
    dem_res: IntArray, dem_amt: IntArray, capacity: IntArray, start: IntArray, end: IntArray, cause: IntArray,
) -> int:  # fmt: skip
    """Fills start/end/cause ([scenarios, tasks]); returns the placements that did not fit before the horizon."""
    resources, horizon = capacity.shape
    overrun = 0
    released = np.empty((resources, horizon + 1), dtype=np.int64)
    for s in range(duration.shape[0]):
        free = capacity.copy()
        released[:] = -1
        for i in order:
            d = duration[s, i]
            ready, waited = 0, -1
            for k in range(pred_ptr[i], pred_ptr[i + 1]):
                if end[s, pred_idx[k]] > ready:
                    ready, waited = end[s, pred_idx[k]], pred_idx[k]
            t = ready
            first, last = dem_ptr[i], dem_ptr[i + 1]
            if d > 0 and last > first:
                t = _fit(free, dem_res, dem_amt, first, last, d, ready, horizon)
                if t >= horizon:
                    overrun += 1
                else:
                    for k in range(first, last):
                        free[dem_res[k], t : t + d] -= dem_amt[k]
                blocker = -1
                if t > ready:
                    at = min(t, horizon)
                    for k in range(first, last):
                        if blocker < 0:
                            blocker = released[dem_res[k], at]
                    cause[s, i] = blocker
                else:
                    cause[s, i] = waited if ready > 0 else -1
                if t + d <= horizon:
                    for k in range(first, last):
                        released[dem_res[k], t + d] = i
            else:
                cause[s, i] = waited if ready > 0 else -1
            start[s, i] = t
            end[s, i] = t + d
    return overrun


def _fit_py(
    free: IntArray, dem_res: IntArray, dem_amt: IntArray, first: int, last: int, d: int, t: int, horizon: int
) -> int:
    """Earliest t' >= t with room for d periods on every demanded resource; max(t, horizon) when there is none."""
    while t + d <= horizon:
        blocked = -1
        for k in range(first, last):
            row, amount = dem_res[k], dem_amt[k]
            for p in range(t + d - 1, t - 1, -1):
                if free[row, p] < amount:
                    if p > blocked:
                        blocked = p
                    break
        if blocked < 0:
            return t
        t = blocked + 1
    return max(t, horizon)


def _chains(
    end: IntArray, cause: IntArray, goal_ptr: IntArray, goal_idx: IntArray, plan_end: IntArray,
    plan_ready: IntArray, ready: IntArray, critical: IntArray,
) -> None:  # fmt: skip
    """Fills ready ([scenarios, goals]) and adds to critical ([tasks]) the scenarios in which each task is on the
    chain of a late settlement (see retime.critical_tasks, the same rule in NumPy)."""
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
_fit: Any = numba.njit(cache=True, nogil=True)(_fit_py)
retime_all: Any = numba.njit(cache=True, nogil=True)(_retime_all)
chains: Any = numba.njit(cache=True, nogil=True)(_chains)
