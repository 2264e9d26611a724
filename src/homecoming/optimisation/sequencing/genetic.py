"""A random-key genetic search for the makespan case, compiled with Numba: the warm start for J60/J120 sizes.

Every individual is a key per task. It is decoded by the serial schedule-generation scheme (the eligible task
with the smallest key goes next, as early as it fits), then improved by forward-backward justification: every
task is pushed as late as it fits, in the order of its finish (right to left), then as early as it fits, in the
order of those starts. That never lengthens the schedule and usually shortens it by a few periods. The improved
start times become the individual's keys (a Lamarckian step), so what the justification learnt is inherited.

Each generation keeps the elite, adds a few random individuals and fills the rest with children taking each key
from an elite parent with probability `BIAS` (a biased random-key genetic algorithm). Only fixed capacities: the
right-to-left pass reads the capacities backwards, which a calendar would break.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numba
import numpy as np

from homecoming.optimisation.sequencing.sgs import Layout, flat_arrays

POPULATION, ELITE, MUTANTS, BIAS = 40, 8, 4, 0.7
IntArray = np.ndarray[Any, np.dtype[np.int64]]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]


def _order(keys: Any, ptr: Any, idx: Any, out: Any) -> None:
    """Precedence-feasible order (ptr/idx: each task's predecessors) taking the smallest key among eligible tasks."""
    n = keys.shape[0]
    waiting = np.empty(n, dtype=np.int64)
    for i in range(n):
        waiting[i] = ptr[i + 1] - ptr[i]
    done = np.zeros(n, dtype=np.bool_)
    for k in range(n):
        best = -1
        for i in range(n):
            if not done[i] and waiting[i] == 0 and (best < 0 or keys[i] < keys[best]):
                best = i
        out[k] = best
        done[best] = True
        for i in range(n):  # successors of best: tasks whose predecessor list holds it
            if not done[i]:
                for q in range(ptr[i], ptr[i + 1]):
                    if idx[q] == best:
                        waiting[i] -= 1


def _sgs(order: Any, dur: Any, dem: Any, cap: Any, ptr: Any, idx: Any, free: Any, start: Any) -> int:
    """Serial SGS (ptr/idx: predecessors) into `start`; returns the makespan. `free` is [time, resource]."""
    horizon, resources = free.shape
    for t in range(horizon):
        for r in range(resources):
            free[t, r] = cap[r]
    makespan = 0
    for i in order:
        t = 0
        for q in range(ptr[i], ptr[i + 1]):
            t = max(t, start[idx[q]] + dur[idx[q]])
        u = t
        while u < t + dur[i]:  # first window of dur[i] periods where everything fits
            fits = True
            for r in range(resources):
                if free[u, r] < dem[i, r]:
                    fits = False
                    break
            if fits:
                u += 1
            else:
                u += 1
                t = u
        start[i] = t
        for u in range(t, t + dur[i]):
            for r in range(resources):
                free[u, r] -= dem[i, r]
        makespan = max(makespan, t + dur[i])
    return makespan


def _decode(keys: Any, dur: Any, dem: Any, cap: Any, pp: Any, pi: Any, sp: Any, si: Any, free: Any, work: Any) -> int:
    """Schedule from keys, justify right then left until it stops shortening; keys become the starts."""
    n = keys.shape[0]
    order, start, back = work[0], work[1], work[2]
    _order_c(keys, pp, pi, order)
    span = _sgs_c(order, dur, dem, cap, pp, pi, free, start)
    finish = np.empty(n, dtype=np.float64)
    while True:  # each round is never longer than the one before it; stop when it is no shorter
        for i in range(n):
            finish[i] = -(start[i] + dur[i])
        _order_c(finish, sp, si, order)  # right to left: the reversed network, latest finish first
        length = _sgs_c(order, dur, dem, cap, sp, si, free, back)
        for i in range(n):
            finish[i] = length - back[i] - dur[i]  # the right-justified starts
        _order_c(finish, pp, pi, order)
        shorter = _sgs_c(order, dur, dem, cap, pp, pi, free, start)
        if shorter >= span:
            break
        span = shorter
    for i in range(n):
        keys[i] = start[i] + 1e-3 * i / n
    return int(span)


# Compiled on first use; the cache keeps the machine code next to this file when the folder is writable.
_order_c: Any = numba.njit(cache=True, nogil=True)(_order)
_sgs_c: Any = numba.njit(cache=True, nogil=True)(_sgs)
_decode_c: Any = numba.njit(cache=True, nogil=True)(_decode)


def evolve(
    lay: Layout,
    seeds: list[list[int]],
    *,
    deadline: float,
    floor: int = 0,
    seed: int = 0,
    generations: int | None = None,
) -> tuple[list[int], int]:
    """The shortest schedule (starts, makespan) found before `deadline` (time.monotonic()) or once it reaches
    `floor` (a lower bound), from a population holding the `seeds` schedules and random individuals.

    `generations`, when given, stops the search after that many generations as well: with `deadline=math.inf`
    the result depends only on the seeds, `seed` and `generations`, never on the machine's speed."""
    dur, dem, cap, pp, pi, sp, si = flat_arrays(lay)
    n = len(dur)
    free = np.zeros((int(dur.sum()) + 1, dem.shape[1]), dtype=np.int64)
    work = np.zeros((3, n), dtype=np.int64)
    rng = np.random.default_rng(seed)

    def decode(keys: FloatArray) -> int:
        return int(_decode_c(keys, dur, dem, cap, pp, pi, sp, si, free, work))

    pop = rng.random((POPULATION, n)) * float(dur.sum())
    for k, start in enumerate(seeds[:POPULATION]):
        pop[k] = np.array(start, dtype=np.float64) + 1e-3 * np.arange(n) / n
    fit = np.array([decode(pop[k]) for k in range(POPULATION)])
    done = 0
    while time.monotonic() < deadline and int(fit.min()) > floor and (generations is None or done < generations):
        pop, fit = _generation(pop, fit, rng, decode)
        done += 1
    best = int(np.argmin(fit))
    span = decode(pop[best].copy())  # its starts, into work[1]
    return [int(s) for s in work[1]], span


def _generation(pop: FloatArray, fit: IntArray, rng: np.random.Generator, decode: Callable[[FloatArray], int]
                ) -> tuple[FloatArray, IntArray]:  # fmt: skip
    """The elite kept, a few random individuals, and children taking each key from an elite parent with
    probability `BIAS` (compiled decoding, the rest in NumPy: compiling this loop too costs seconds, once)."""
    rank = np.argsort(fit, kind="stable")
    size, n = pop.shape
    children = np.empty_like(pop)
    children[:ELITE] = pop[rank[:ELITE]]
    for k in range(ELITE, size - MUTANTS):
        a, b = rank[rng.integers(ELITE)], rank[ELITE + rng.integers(size - ELITE)]
        children[k] = np.where(rng.random(n) < BIAS, pop[a], pop[b])
    children[size - MUTANTS :] = rng.random((MUTANTS, n)) * (float(children[0].max()) + 1.0)
    child_fit = fit[rank].copy()
    for k in range(ELITE, size):
        child_fit[k] = decode(children[k])
    return children, child_fit
