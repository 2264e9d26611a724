"""The serial schedule-generation scheme (SGS), compiled with Numba: the one implementation that the priority rules,
the ranking search, the genetic search (`genetic.py`) and risk's re-timing (`risk/kernel.py`) all run.

Two steps, one function each. `priority_order` turns a key per task into a precedence-feasible activity list: the
eligible task with the smallest key goes next (ties to the smaller index). `place` then starts the tasks in that
order, each at the earliest period at which its predecessors have ended and every resource it uses has room for its
whole duration. The problem comes in as `sgs.Arrays`; the link lists are passed apart from it so that the same code
runs the reversed network (successors as predecessors: the genetic search's right-to-left pass).

Compiled on first use; the cache keeps the machine code next to this file when the folder is writable (`warm.py`
fills it at install time).
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np


def _before(keys: Any, a: int, b: int) -> bool:
    return keys[a] < keys[b] or (keys[a] == keys[b] and a < b)


def _push(heap: Any, size: int, task: int, keys: Any) -> int:
    k = size
    heap[k] = task
    while k > 0:
        parent = (k - 1) // 2
        if not _before_c(keys, heap[k], heap[parent]):
            break
        heap[k], heap[parent] = heap[parent], heap[k]
        k = parent
    return size + 1


def _pop(heap: Any, size: int, keys: Any) -> int:
    """Removes the smallest task from the heap (of `size` tasks) and returns it."""
    top = heap[0]
    size -= 1
    heap[0] = heap[size]
    k = 0
    while True:
        child = 2 * k + 1
        if child >= size:
            break
        if child + 1 < size and _before_c(keys, heap[child + 1], heap[child]):
            child += 1
        if not _before_c(keys, heap[child], heap[k]):
            break
        heap[k], heap[child] = heap[child], heap[k]
        k = child
    return int(top)


def _priority_order(keys: Any, before_ptr: Any, after_ptr: Any, after_idx: Any, out: Any) -> int:
    """Fills `out` with the activity list and returns its length (every task unless the links have a cycle).
    Task i waits for before_ptr[i + 1] - before_ptr[i] tasks; after_idx[after_ptr[i]:after_ptr[i + 1]] wait for it."""
    n = keys.shape[0]
    waiting = np.empty(n, dtype=np.int64)
    heap = np.empty(n, dtype=np.int64)
    size = 0
    for i in range(n):
        waiting[i] = before_ptr[i + 1] - before_ptr[i]
        if waiting[i] == 0:
            size = _push_c(heap, size, i, keys)
    k = 0
    while size > 0:
        i = _pop_c(heap, size, keys)
        size -= 1
        out[k] = i
        k += 1
        for q in range(after_ptr[i], after_ptr[i + 1]):
            j = after_idx[q]
            waiting[j] -= 1
            if waiting[j] == 0:
                size = _push_c(heap, size, j, keys)
    return k


def _fit(free: Any, demand: Any, i: int, d: int, t: int) -> int:
    """Earliest t' >= t with room for d periods on every resource task i uses; max(t, horizon) when there is none.
    Scans each window from its end, and jumps past the last period without room."""
    dem_ptr, dem_res, dem_amt = demand
    horizon = free.shape[1]
    while t + d <= horizon:
        blocked = -1
        for k in range(dem_ptr[i], dem_ptr[i + 1]):
            row, amount = dem_res[k], dem_amt[k]
            for p in range(t + d - 1, t - 1, -1):
                if free[row, p] < amount:
                    if p > blocked:
                        blocked = p
                    break
        if blocked < 0:
            return t
        t = blocked + 1
    return int(max(t, horizon))


def _place(order: Any, duration: Any, links: Any, demand: Any, free: Any, start: Any, end: Any, cause: Any,
           released: Any) -> int:  # fmt: skip
    """Serial SGS over `order` into start/end ([tasks]); `free` ([resources, periods]) is used up as tasks are
    placed. A task with no room before the horizon starts at the horizon (or when ready, if later) and uses nothing:
    the result counts those placements.

    With `cause` non-empty it also records what each start waited for: the predecessor whose end it waited for, or,
    when it waited for room, the task that released that room at its start (`released`, [resources, periods + 1],
    all -1 before the run, tells which task last ended at a period on a resource); -1 when nothing delayed it."""
    pred_ptr, pred_idx = links
    dem_ptr, dem_res = demand[0], demand[1]
    horizon = free.shape[1]
    track = cause.shape[0] > 0
    overrun = 0
    for i in order:
        d = duration[i]
        ready, waited = 0, -1
        for q in range(pred_ptr[i], pred_ptr[i + 1]):
            if end[pred_idx[q]] > ready:
                ready, waited = end[pred_idx[q]], pred_idx[q]
        t = ready
        first, last = dem_ptr[i], dem_ptr[i + 1]
        if d > 0 and last > first:
            t = _fit_c(free, demand, i, d, ready)
            if t >= horizon:
                overrun += 1
            else:
                for q in range(first, last):
                    free[dem_res[q], t : t + d] -= demand[2][q]
            if track:
                cause[i] = _blame(released, dem_res, first, last, t, ready, waited, horizon)
                if t + d <= horizon:
                    for q in range(first, last):
                        released[dem_res[q], t + d] = i
        elif track:
            cause[i] = waited if ready > 0 else -1
        start[i] = t
        end[i] = t + d
    return overrun


def _blame_py(released: Any, dem_res: Any, first: int, last: int, t: int, ready: int, waited: int, horizon: int) -> int:
    """What a start at t waited for: the predecessor when it started as soon as it was ready, otherwise the task
    that last released one of its resources at t (the first of its resources, in its own order, that has one)."""
    if t <= ready:
        return waited if ready > 0 else -1
    at = min(t, horizon)
    for q in range(first, last):
        if released[dem_res[q], at] >= 0:
            return int(released[dem_res[q], at])
    return -1


_before_c: Any = numba.njit(cache=True, nogil=True, inline="always")(_before)
_push_c: Any = numba.njit(cache=True, nogil=True)(_push)
_pop_c: Any = numba.njit(cache=True, nogil=True)(_pop)
_fit_c: Any = numba.njit(cache=True, nogil=True)(_fit)
_blame: Any = numba.njit(cache=True, nogil=True)(_blame_py)
priority_order: Any = numba.njit(cache=True, nogil=True)(_priority_order)
place: Any = numba.njit(cache=True, nogil=True)(_place)
