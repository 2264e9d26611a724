"""Re-timing the plan under sampled durations: the serial schedule-generation scheme for many scenarios at once.

Tasks go one by one in the plan's priority order, as in `sequencing.sgs.serial_sgs`. Three implementations give
identical schedules: `retime` (the loop compiled with Numba, kernel.py: the one used), `retime_numpy` (vectorised
over the scenario axis: each task is placed in every scenario with a handful of NumPy operations on a
[resources x periods x scenarios] array of free capacity) and `retime_plain` (a plain Python loop, one scenario
at a time: the peer the benchmark measures against).

Each placed task also records its *cause*: the predecessor whose end it waited for, or, when it waited for room on
a resource, the task that released that room at its start. Following causes back from the last task of a
settlement that is later than planned gives the chain of works that made it late (its critical chain).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from homecoming.optimisation.risk.model import BoolArray, Compiled, IntArray


@dataclass(frozen=True)
class Retimed:
    start: IntArray  # [scenarios, tasks]
    end: IntArray
    cause: IntArray  # [scenarios, tasks]: the task that set the start, -1 when none did
    overrun: int  # task placements that did not fit before the extended horizon (started at the horizon)


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


def retime(c: Compiled, duration: IntArray) -> Retimed:
    """Serial SGS in the plan's order for every row of `duration` ([scenarios, tasks]): the compiled loop."""
    from homecoming.optimisation.risk.kernel import flatten, retime_all

    flat = flatten(c)
    scenarios, tasks = duration.shape
    start = np.zeros((scenarios, tasks), dtype=np.int64)
    end = np.zeros((scenarios, tasks), dtype=np.int64)
    cause = np.full((scenarios, tasks), -1, dtype=np.int64)
    overrun = retime_all(flat.order, np.ascontiguousarray(duration, dtype=np.int64), flat.pred_ptr, flat.pred_idx,
                         flat.dem_ptr, flat.dem_res, flat.dem_amt, flat.capacity, start, end, cause)  # fmt: skip
    return Retimed(start, end, cause, int(overrun))


def retime_numpy(c: Compiled, duration: IntArray) -> Retimed:
    """The same, vectorised over scenarios with NumPy instead of compiled (kept as a second peer)."""
    scenarios, tasks = duration.shape
    horizon = c.horizon
    free = np.repeat(c.capacity[:, :, None], scenarios, axis=2)  # [resources, periods, scenarios]
    released = np.full((len(c.capacity), horizon + 1, scenarios), -1, dtype=np.int64)  # last task ending at t
    start = np.zeros((tasks, scenarios), dtype=np.int64)  # task-major: each task's row is contiguous
    end = np.zeros((tasks, scenarios), dtype=np.int64)
    cause = np.full((tasks, scenarios), -1, dtype=np.int64)
    by_task = np.ascontiguousarray(duration.T)
    rows = np.arange(scenarios)
    overrun = 0
    for i in c.order:
        d = by_task[i]
        preds = c.predecessors[i]
        if preds:
            pred_ends = end[list(preds)]
            ready = pred_ends.max(axis=0)
            waited = np.asarray(preds)[pred_ends.argmax(axis=0)]
        else:
            ready, waited = np.zeros(scenarios, dtype=np.int64), np.full(scenarios, -1)
        demand = [(r, a) for r, a in c.demands[i]]
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
    out = np.zeros((end.shape[0], len(c.goal_tasks)), dtype=np.int64)
    for g, tasks in enumerate(c.goal_tasks):
        if tasks:
            out[:, g] = end[:, tasks].max(axis=1)
    return out


def critical_tasks(c: Compiled, timed: Retimed, ready: IntArray) -> BoolArray:
    """[scenarios, tasks]: on the critical chain of some settlement that is ready later than the plan says, and
    itself ending later than planned (the chain stops at a task that ends on time: it absorbed what came before)."""
    critical = np.zeros(timed.end.shape, dtype=np.bool_)
    for g, tasks in enumerate(c.goal_tasks):
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
    horizon = c.horizon
    capacity = c.capacity.tolist()
    out = []
    for row in duration:
        free = [list(line) for line in capacity]
        end = [0] * len(row)
        for i in c.order:
            d = row[i]
            t = max((end[p] for p in c.predecessors[i]), default=0)
            if d > 0 and c.demands[i]:
                t = _plain_fit(free, c.demands[i], d, t, horizon)
                for r, a in c.demands[i]:
                    line = free[r]
                    for p in range(t, min(t + d, horizon)):
                        line[p] -= a
            end[i] = t + d
        out.append([max((end[i] for i in tasks), default=0) for tasks in c.goal_tasks])
    return out


def _plain_fit(free: list[list[int]], demand: tuple[tuple[int, int], ...], d: int, t: int, horizon: int) -> int:
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
