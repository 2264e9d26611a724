"""A branch and bound that proves a makespan cannot be beaten (Demeulemeester and Herroelen's procedure).

It answers one question: is there a plan that ends by `horizon`? Asked for one period less than the best plan
found, "no" proves that plan optimal. CP-SAT needs 7 to 35 seconds for that proof on the hardest J30
instances; this search, compiled with Numba, a few.

The search walks decision points (period 0, then every period where a task ends). At each it starts every task
whose predecessors have ended; if that overloads a resource it branches over the minimal sets of running tasks
to take out again (minimal delaying alternatives), which wait for the next decision point. Pruning:

* bounds: every task's earliest start (from the decision point, its predecessors and the work of all its
  predecessors per resource) plus its tail (the longest chain after it, lifted the same way) must fit the
  horizon, and the work left, taken in order of the latest ends, must fit the capacity from the decision point;
* cutsets (`cutsets.py`): a state that failed is remembered by the set of tasks started so far, its time and
  the ends of its running tasks; a later state with the same set, no earlier, whose running tasks end no
  sooner, fails too;
* left shift: after taking out a task that started earlier, a task that starts now but could have started a
  period before gives a plan that another branch covers;
* a task that can run beside no other task left, with nothing running, starts alone (and with its only
  partner, when that partner is no longer).

Only fixed capacities and up to `MAX_TASKS` tasks (one bit each in the cutset key).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import numba
import numpy as np

from homecoming.optimisation.sequencing import cutsets
from homecoming.optimisation.sequencing.bounds import closure, heads_tails
from homecoming.optimisation.sequencing.makespan import conflicts
from homecoming.optimisation.sequencing.sgs import Layout

FEASIBLE, INFEASIBLE, UNKNOWN = 1, 0, -1
MAX_TASKS = 63
MAX_RUNNING = 12  # minimal delaying alternatives are enumerated over subsets of the running tasks


@numba.njit(cache=True)  # the object-mode clock takes the GIL for a moment, every 1024 nodes
def _now() -> float:
    with numba.objmode(now="f8"):
        now = time.monotonic()
    return now


@numba.njit(cache=True, nogil=True)
def _bounded(t, horizon, st, sta, fin, est):  # type: ignore[no-untyped-def]
    """False when no plan ending by `horizon` can follow this state (critical paths, then energy)."""
    dur, dem, cap, pptr, pidx, topo, head, tail, by_deadline = st[:9]
    n = dur.shape[0]
    for q in range(n):
        j = topo[q]
        if fin[j] >= 0:
            if sta[j] + tail[j] > horizon:
                return False
            continue
        e = max(t, head[j])
        for x in range(pptr[j], pptr[j + 1]):
            p = pidx[x]
            f = fin[p] if fin[p] >= 0 else est[p] + dur[p]
            e = max(e, f)
        est[j] = e
        if e + tail[j] > horizon:
            return False
    for r in range(cap.shape[0]):  # the work left, in order of the latest ends, fits from t on
        total = 0
        for q in range(n):
            j = by_deadline[q]
            if dem[j, r] == 0 or dur[j] == 0 or 0 <= fin[j] <= t:
                continue
            # a running task may still be taken out and restarted, so only its latest end is certain
            total += (fin[j] - t if fin[j] >= 0 else dur[j]) * dem[j, r]
            if total > cap[r] * (horizon - tail[j] + dur[j] - t):
                return False
    return True


@numba.njit(cache=True, nogil=True)
def _alternatives(running, nr, dem, cap, fits, freed, over, out):  # type: ignore[no-untyped-def]
    """The minimal sets of running tasks (bit masks over `running`) whose removal ends every overload; 0 if
    nothing is overloaded. `fits`, `freed` and `over` are scratch space."""
    resources = cap.shape[0]
    overloaded = False
    for r in range(resources):
        over[r] = -cap[r]
        for q in range(nr):
            over[r] += dem[running[q], r]
        overloaded = overloaded or over[r] > 0
    if not overloaded:
        return 0
    fits[0] = False
    for r in range(resources):
        freed[0, r] = 0
    for mask in range(1, 1 << nr):
        low = mask & -mask
        q = 0
        while (1 << q) != low:
            q += 1
        ok = True
        for r in range(resources):
            freed[mask, r] = freed[mask ^ low, r] + dem[running[q], r]
            ok = ok and freed[mask, r] >= over[r]
        fits[mask] = ok
    count = 0
    for mask in range(1, 1 << nr):
        if not fits[mask]:
            continue
        minimal = True
        for q in range(nr):
            if mask >> q & 1 and fits[mask ^ (1 << q)]:
                minimal = False
                break
        if minimal:
            out[count] = mask
            count += 1
    return count


@numba.njit(cache=True, nogil=True)
def _start_ready(t, st, sta, fin, added):  # type: ignore[no-untyped-def]
    """Start every unstarted task whose predecessors have ended (zero-length ones end at once)."""
    dur, pptr, pidx = st[0], st[3], st[4]
    count = 0
    changed = True
    while changed:
        changed = False
        for j in range(dur.shape[0]):
            if fin[j] >= 0:
                continue
            ready = True
            for x in range(pptr[j], pptr[j + 1]):
                if fin[pidx[x]] < 0 or fin[pidx[x]] > t:
                    ready = False
                    break
            if ready:
                sta[j] = t
                fin[j] = t + dur[j]
                added[count] = j
                count += 1
                changed = changed or dur[j] == 0
    return count


@numba.njit(cache=True, nogil=True)
def _forced(t, st, sta, fin, running, nr):  # type: ignore[no-untyped-def]
    """With nothing started earlier still running: a task that fits beside no task left starts alone, and one
    that fits beside a single one, no longer than itself and ready too, starts with it. -1 if neither."""
    dur, compat = st[0], st[9]
    for q in range(nr):
        if sta[running[q]] < t:
            return -1
    for q in range(nr):
        i = running[q]
        partners, other = 0, -1
        for j in range(dur.shape[0]):
            if j != i and compat[i, j] and (fin[j] < 0 or sta[j] == t):
                partners += 1
                other = j
        if partners == 0:
            return ((1 << nr) - 1) ^ (1 << q)
        if partners == 1 and fin[other] >= 0 and dur[other] <= dur[i]:
            for q2 in range(nr):
                if running[q2] == other:
                    return ((1 << nr) - 1) ^ (1 << q) ^ (1 << q2)
    return -1


@numba.njit(cache=True, nogil=True)
def _left_shiftable(t, st, sta, fin, running, nr, mask, started_before):  # type: ignore[no-untyped-def]
    """After taking out a task started before t: can a task starting at t start at t - 1 instead?"""
    dur, dem, cap, pptr, pidx = st[:5]
    if t == 0 or not started_before:
        return False
    for q in range(nr):
        j = running[q]
        if mask >> q & 1 or sta[j] != t:
            continue
        shift = True
        for x in range(pptr[j], pptr[j + 1]):
            if fin[pidx[x]] < 0 or fin[pidx[x]] > t - 1:
                shift = False
                break
        for r in range(cap.shape[0]):
            if not shift:
                break
            used = dem[j, r]
            for k in range(dur.shape[0]):
                if fin[k] >= 0 and sta[k] <= t - 1 < fin[k]:
                    used += dem[k, r]
            shift = used <= cap[r]
        if shift:
            return True
    return False


@numba.njit(cache=True, nogil=True)
def _branches(t, depth, st, sta, fin, nr, scratch):  # type: ignore[no-untyped-def]
    """The ways on from decision point t, as masks of running tasks to take out, left in `alts[depth]` with
    the smallest bound (next decision point plus the longest tail taken out) first; returns their count."""
    dem, cap, tail = st[1], st[2], st[7]
    _, running, alts, _, fits, freed, over, score = scratch
    run = running[depth]
    count = _alternatives(run, nr, dem, cap, fits, freed, over, alts[depth])
    if count == 0:
        alts[depth, 0] = 0  # no overload: keep everything running
        return 1
    forced = _forced(t, st, sta, fin, run, nr)
    if forced >= 0:
        alts[depth, 0] = forced
        return 1
    for a in range(count):
        following, longest = 1 << 40, 0
        for q in range(nr):
            if alts[depth, a] >> q & 1:
                longest = max(longest, tail[run[q]])
            else:
                following = min(following, fin[run[q]])
        score[a] = following + longest
    for a in range(1, count):  # insertion sort: a handful of alternatives
        b = a
        while b > 0 and score[b - 1] > score[b]:
            score[b - 1], score[b] = score[b], score[b - 1]
            alts[depth, b - 1], alts[depth, b] = alts[depth, b], alts[depth, b - 1]
            b -= 1
    return count


@numba.njit(cache=True, nogil=True)
def _explore(t, depth, horizon, st, sta, fin, est, table, scratch, stats, deadline):  # type: ignore[no-untyped-def]
    """Arrive at decision point t; FEASIBLE (the plan is left in sta/fin), INFEASIBLE or UNKNOWN (out of time)."""
    added, running, alts, keep = scratch[:4]
    n = sta.shape[0]
    stats[0] += 1
    if (stats[0] & 1023) == 0 and (stats[1] != 0 or _now() > deadline):
        return UNKNOWN
    if not _bounded(t, horizon, st, sta, fin, est):
        return INFEASIBLE
    key = cutsets.key(fin)
    if cutsets.dominated(table, key, t, fin):
        return INFEASIBLE
    na = _start_ready(t, st, sta, fin, added[depth])
    nr, left = 0, 0
    for j in range(n):
        if fin[j] < 0:
            left += 1
        elif fin[j] > t:
            running[depth, nr] = j
            nr += 1
    if nr == 0 and left == 0:
        return FEASIBLE
    if nr == 0 or nr > MAX_RUNNING:  # nothing left to start (cannot happen on a valid problem), or too wide
        for q in range(na):
            fin[added[depth, q]] = -1
        return INFEASIBLE if nr == 0 else UNKNOWN
    run = running[depth]
    outcome = INFEASIBLE
    for a in range(_branches(t, depth, st, sta, fin, nr, scratch)):
        mask = alts[depth, a]
        following = 1 << 40
        started_before = False
        for q in range(nr):
            j = run[q]
            keep[depth, 0, q] = sta[j]
            keep[depth, 1, q] = fin[j]
            if mask >> q & 1:
                started_before = started_before or sta[j] < t
                fin[j] = -1
            else:
                following = min(following, fin[j])
        got = INFEASIBLE
        if following < (1 << 40) and not _left_shiftable(t, st, sta, fin, run, nr, mask, started_before):
            got = _explore(following, depth + 1, horizon, st, sta, fin, est, table, scratch, stats, deadline)
            if got == FEASIBLE:
                return FEASIBLE
        for q in range(nr):
            sta[run[q]] = keep[depth, 0, q]
            fin[run[q]] = keep[depth, 1, q]
        if got == UNKNOWN:
            outcome = UNKNOWN
            break
    for q in range(na):
        fin[added[depth, q]] = -1
    if outcome == INFEASIBLE:
        cutsets.remember(table, key, t, fin)
    return outcome


def _compatible(lay: Layout) -> Any:
    """Pairs of tasks (with a duration) that may run side by side: the complement of the conflict graph."""
    graph = conflicts(lay, closure(lay))
    n = len(lay.durations)
    compat = np.zeros((n, n), dtype=np.bool_)
    for i in range(n):
        for j in range(n):
            compat[i, j] = i != j and lay.durations[i] > 0 and lay.durations[j] > 0 and j not in graph[i]
    return compat


def decide(lay: Layout, horizon: int, seconds: float, flags: Any = None) -> tuple[int, list[int] | None]:
    """FEASIBLE with the starts of a plan ending by `horizon`, INFEASIBLE (a proof that none exists) or
    UNKNOWN (out of time, stopped through `flags[1]`, or a shape this search does not take). With
    `seconds=math.inf` the answer does not depend on the machine's speed (UNKNOWN only for those shapes)."""
    n = len(lay.durations)
    if n > MAX_TASKS or lay.capacity.shape[1] == 0 or any(int(r.min()) != int(r.max()) for r in lay.capacity):
        return UNKNOWN, None
    deadline = time.monotonic() + seconds
    a = lay.arrays
    dur, dem, cap, pptr, pidx = a.durations, a.demand, np.ascontiguousarray(a.capacity[:, 0]), a.pred_ptr, a.pred_idx
    head, tail = (np.array(x, dtype=np.int64) for x in heads_tails(lay))
    by_deadline = np.argsort(horizon - tail + dur, kind="stable")
    st = (dur, dem, cap, pptr, pidx, np.array(lay.order, dtype=np.int64), head, tail, by_deadline,
          _compatible(lay))  # fmt: skip
    levels = horizon + 2
    scratch = (
        np.zeros((levels, n), dtype=np.int64),
        np.zeros((levels, n), dtype=np.int64),
        np.zeros((levels, 1 << MAX_RUNNING), dtype=np.int64),
        np.zeros((levels, 2, n), dtype=np.int64),
        np.zeros(1 << MAX_RUNNING, dtype=np.bool_),
        np.zeros((1 << MAX_RUNNING, len(cap)), dtype=np.int64),
        np.zeros(len(cap), dtype=np.int64),
        np.zeros(1 << MAX_RUNNING, dtype=np.int64),
    )
    table = cutsets.new_table(n)
    sta = np.full(n, -1, dtype=np.int64)
    fin = np.full(n, -1, dtype=np.int64)
    flags = np.zeros(2, dtype=np.int64) if flags is None else flags  # nodes, stop
    got = _explore(0, 0, horizon, st, sta, fin, np.zeros(n, dtype=np.int64), table, scratch, flags, deadline)
    return int(got), ([int(s) for s in sta] if got == FEASIBLE else None)


class Attempt:
    """`decide` in a thread of its own (the compiled search runs without the GIL), so CP-SAT can work beside
    it; `on_done` is called from that thread with the outcome."""

    def __init__(self, lay: Layout, horizon: int, seconds: float, on_done: Callable[[int], None]) -> None:
        self.outcome = UNKNOWN
        self.starts: list[int] | None = None
        self._flags = np.zeros(2, dtype=np.int64)
        self._on_done = on_done
        self._thread = threading.Thread(target=self._run, args=(lay, horizon, seconds), daemon=True)
        self._thread.start()

    def _run(self, lay: Layout, horizon: int, seconds: float) -> None:
        outcome, starts = decide(lay, horizon, seconds, self._flags)
        self.starts, self.outcome = starts, outcome
        self._on_done(outcome)

    def finish(self, wait: float) -> int:
        """Stop the search, wait for it at most `wait` seconds (a first run may still be compiling: it is left
        to end by itself) and return the outcome."""
        self._flags[1] = 1
        self._thread.join(wait)
        return self.outcome
