"""The peers the compiled re-timing (homecoming.optimisation.risk.retime) is measured against by bench/risk.py, and
held to by the tests: `retime_numpy` vectorised over the scenario axis (each task is placed in every scenario with
a handful of NumPy operations on a [resources x periods x scenarios] array of free capacity), `retime_plain` a plain
Python loop one scenario at a time, and `critical_tasks` the critical-chain walk in NumPy. All give identical
numbers.
"""

from __future__ import annotations

import numpy as np

from homecoming.optimisation.risk.model import BoolArray, Compiled, IntArray
from homecoming.optimisation.risk.retime import Retimed


def _lists(ptr: IntArray, idx: IntArray) -> list[list[int]]:
    return [idx[ptr[i] : ptr[i + 1]].tolist() for i in range(len(ptr) - 1)]


def _demands(c: Compiled) -> list[list[tuple[int, int]]]:
    a = c.arrays
    pairs = list(zip(a.dem_res.tolist(), a.dem_amt.tolist(), strict=True))
    return [pairs[a.dem_ptr[i] : a.dem_ptr[i + 1]] for i in range(len(a.dem_ptr) - 1)]


LOOKAHEAD = 24  # periods past the latest ready period the first (dense) look covers


def _earliest_fit(free_rows: list[IntArray], amounts: list[int], duration: IntArray, ready: IntArray) -> IntArray:
    """First period t >= ready with room for `duration` periods on every row; the horizon (or `ready`, if later)
    when there is none.

    Most tasks fit where they are ready or soon after, so the first look is a dense slice of the periods from the
    earliest ready period to a little past the latest (contiguous NumPy operations, no gathers); the few scenarios
    whose fit is not inside that window get a scan of the rest of the horizon."""
    horizon = free_rows[0].shape[0]
    low = int(ready.min())
    if low >= horizon:
        late: IntArray = np.maximum(ready, horizon)
        return late
    high = min(horizon, int(ready.max()) + int(duration.max()) + LOOKAHEAD)
    start, found = _scan(free_rows, amounts, slice(None), duration, ready, low, high)
    missing = np.flatnonzero(~found)
    if len(missing) and high < horizon:
        again, _ = _scan(free_rows, amounts, missing, duration[missing], ready[missing], int(ready[missing].min()),
                         horizon)  # fmt: skip
        start[missing] = again
    out: IntArray = np.where(start + duration <= horizon, start, np.maximum(ready, horizon))
    return out


def _scan(
    free_rows: list[IntArray], amounts: list[int], rows: slice | IntArray, duration: IntArray, ready: IntArray,
    low: int, high: int,
) -> tuple[IntArray, BoolArray]:  # fmt: skip
    """The first fit inside periods low .. high-1 (the whole task inside too), and whether there was one.
    Rows are periods and columns scenarios, so the running minimum runs down contiguous rows."""
    ok = free_rows[0][low:high, rows] >= amounts[0]
    for row, amount in zip(free_rows[1:], amounts[1:], strict=True):
        ok &= row[low:high, rows] >= amount
    periods = np.arange(low, high)[:, None]
    next_bad = np.where(ok, high, periods)  # the first period without room, at or after each period
    next_bad = np.minimum.accumulate(next_bad[::-1], axis=0)[::-1]
    fits = (next_bad - periods >= duration) & (periods >= ready)
    first = fits.argmax(axis=0)
    found: BoolArray = fits[first, np.arange(len(first))]
    out: IntArray = np.where(found, first + low, high)
    return out, found


def retime_numpy(c: Compiled, duration: IntArray) -> Retimed:
    """The re-timing vectorised over scenarios with NumPy instead of compiled."""
    scenarios, tasks = duration.shape
    horizon, capacity = c.horizon, c.arrays.capacity
    predecessors, demands = _lists(c.arrays.pred_ptr, c.arrays.pred_idx), _demands(c)
    free = np.repeat(capacity[:, :, None], scenarios, axis=2)  # [resources, periods, scenarios]
    released = np.full((len(capacity), horizon + 1, scenarios), -1, dtype=np.int64)  # last task ending at t
    start = np.zeros((tasks, scenarios), dtype=np.int64)  # task-major: each task's row is contiguous
    end = np.zeros((tasks, scenarios), dtype=np.int64)
    cause = np.full((tasks, scenarios), -1, dtype=np.int64)
    by_task = np.ascontiguousarray(duration.T)
    rows = np.arange(scenarios)
    overrun = 0
    for i in c.order.tolist():
        d = by_task[i]
        preds = predecessors[i]
        if preds:
            pred_ends = end[list(preds)]
            ready = pred_ends.max(axis=0)
            waited = np.asarray(preds)[pred_ends.argmax(axis=0)]
        else:
            ready, waited = np.zeros(scenarios, dtype=np.int64), np.full(scenarios, -1)
        demand = demands[i]
        if demand and int(d.max()) > 0:
            s = _earliest_fit([free[r] for r, _ in demand], [a for _, a in demand], d, ready)
            missed = (s >= horizon) & (d > 0)
            overrun += int(missed.sum())
            s = np.where(d == 0, ready, s)
            e = np.where(missed, s, s + d)
            low, high = int(s.min()), min(horizon, int(e.max()))
            if high > low:
                periods = np.arange(low, high)[:, None]
                used = (periods >= s) & (periods < e)
                for r, a in demand:
                    free[r][low:high] -= a * used
            e = s + d
            at = np.minimum(s, horizon)
            blocker = released[demand[0][0], at, rows]
            for r, _ in demand[1:]:
                blocker = np.where(blocker >= 0, blocker, released[r, at, rows])
            cause[i] = np.where(s > ready, blocker, np.where(ready > 0, waited, -1))
            keep = (e <= horizon) & (d > 0)
            for r, _ in demand:
                released[r, e[keep], rows[keep]] = i
        else:
            s, e = ready, ready + d
            cause[i] = np.where(ready > 0, waited, -1)
        start[i], end[i] = s, e
    return Retimed(start.T, end.T, cause.T, overrun)


def goal_ready(c: Compiled, end: IntArray) -> IntArray:
    """[scenarios, goals] completion periods: the latest end of each goal's required tasks."""
    out = np.zeros((end.shape[0], len(c.goal_ids)), dtype=np.int64)
    for g, tasks in enumerate(_lists(c.arrays.goal_ptr, c.arrays.goal_idx)):
        if tasks:
            out[:, g] = end[:, tasks].max(axis=1)
    return out


def critical_tasks(c: Compiled, timed: Retimed, ready: IntArray) -> BoolArray:
    """The NumPy peer of risk/kernel.chains. [scenarios, tasks]: on the critical chain of some settlement that is
    ready later than the plan says, and itself ending later than planned (the chain stops at a task that ends on
    time: it absorbed what came before)."""
    critical = np.zeros(timed.end.shape, dtype=np.bool_)
    for g, tasks in enumerate(_lists(c.arrays.goal_ptr, c.arrays.goal_idx)):
        late = np.flatnonzero(ready[:, g] > c.plan_ready[g])
        if not tasks or not len(late):
            continue
        required = np.asarray(tasks)
        current = required[timed.end[np.ix_(late, required)].argmax(axis=1)]
        while len(late):  # each step goes to a task placed earlier in the order, so this ends
            slipped = timed.end[late, current] > c.plan_end[current]  # an on-time task absorbed what came before
            late, current = late[slipped], current[slipped]
            critical[late, current] = True
            current = timed.cause[late, current]
            keep = current >= 0
            late, current = late[keep], current[keep]
    return critical


def retime_plain(c: Compiled, duration: list[list[int]]) -> list[list[int]]:
    """The same scheme, one scenario at a time in plain Python: per scenario, every goal's completion period."""
    predecessors, demands = _lists(c.arrays.pred_ptr, c.arrays.pred_idx), _demands(c)
    goal_tasks = _lists(c.arrays.goal_ptr, c.arrays.goal_idx)
    capacity, order = c.arrays.capacity.tolist(), c.order.tolist()
    out = []
    for row in duration:
        start = plain_sgs(capacity, c.horizon, order, row, predecessors, demands)
        end = [s + d for s, d in zip(start, row, strict=True)]
        out.append([max((end[i] for i in tasks), default=0) for tasks in goal_tasks])
    return out


def plain_sgs(
    capacity: list[list[int]], horizon: int, order: list[int], duration: list[int], predecessors: list[list[int]],
    demands: list[list[tuple[int, int]]],
) -> list[int]:  # fmt: skip
    """The serial SGS as a plain Python loop (the reference the tests hold the compiled one to): each task in
    `order` at the earliest period after its predecessors with room for its whole duration on every resource it
    uses, within `horizon` periods; a task that does not fit starts at the horizon and uses nothing."""
    free = [list(line) for line in capacity]
    start, end = [0] * len(duration), [0] * len(duration)
    for i in order:
        d = duration[i]
        t = max((end[p] for p in predecessors[i]), default=0)
        if d > 0 and demands[i]:
            t = _plain_fit(free, demands[i], d, t, horizon)
            for r, a in demands[i]:
                line = free[r]
                for p in range(t, min(t + d, horizon)):
                    line[p] -= a
        start[i], end[i] = t, t + d
    return start


def _plain_fit(free: list[list[int]], demand: list[tuple[int, int]], d: int, t: int, horizon: int) -> int:
    while t + d <= horizon:
        blocked = -1
        for r, a in demand:
            line = free[r]
            for p in range(t + d - 1, t - 1, -1):
                if line[p] < a:
                    blocked = max(blocked, p)
                    break
        if blocked < 0:
            return t
        t = blocked + 1
    return max(t, horizon)
