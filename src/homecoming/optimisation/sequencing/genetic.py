"""A random-key genetic search for the makespan case, compiled with Numba: the warm start for J60/J120 sizes.

Every individual is a key per task. It is decoded by the serial schedule-generation scheme of `kernel.py` (the
eligible task with the smallest key goes next, as early as it fits), then improved by forward-backward
justification: every task is pushed as late as it fits, in the order of its finish (right to left), then as early
as it fits, in the order of those starts. That never lengthens the schedule and usually shortens it by a few
periods. The improved start times become the individual's keys (a Lamarckian step), so what the justification
learnt is inherited.

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

from homecoming.optimisation.sequencing.kernel import place, priority_order
from homecoming.optimisation.sequencing.sgs import Layout

POPULATION, ELITE, MUTANTS, BIAS = 40, 8, 4, 0.7
IntArray = np.ndarray[Any, np.dtype[np.int64]]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]


def _pass(order: Any, dur: Any, links: Any, uses: Any, capacity: Any, free: Any, start: Any, end: Any) -> int:
    """One serial SGS run (kernel.place) over the whole order from empty resources; returns the makespan."""
    free[:] = capacity
    place(order, dur, links, uses, free, start, end, np.empty(0, dtype=np.int64), np.empty((0, 0), dtype=np.int64))
    return int(end.max()) if end.shape[0] else 0


def _decode(keys: Any, dur: Any, links: Any, back: Any, uses: Any, capacity: Any, free: Any, work: Any) -> int:
    """Schedule from keys, justify right then left until it stops shortening; keys become the starts. `back` are
    the links reversed (successors as predecessors): the right-to-left pass schedules the reversed network."""
    n = keys.shape[0]
    order, start, end, late = work[0], work[1], work[2], work[3]
    priority_order(keys, links[0], back[0], back[1], order)
    span = _pass_c(order, dur, links, uses, capacity, free, start, end)
    finish = np.empty(n, dtype=np.float64)
    while True:  # each round is never longer than the one before it; stop when it is no shorter
        for i in range(n):
            finish[i] = -(start[i] + dur[i])
        priority_order(finish, back[0], links[0], links[1], order)  # right to left: latest finish first
        length = _pass_c(order, dur, back, uses, capacity, free, late, end)
        for i in range(n):
            finish[i] = length - late[i] - dur[i]  # the right-justified starts
        priority_order(finish, links[0], back[0], back[1], order)
        shorter = _pass_c(order, dur, links, uses, capacity, free, start, end)
        if shorter >= span:
            break
        span = shorter
    for i in range(n):
        keys[i] = start[i] + 1e-3 * i / n
    return int(span)


# Compiled on first use; the cache keeps the machine code next to this file when the folder is writable.
_pass_c: Any = numba.njit(cache=True, nogil=True)(_pass)
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
    a = lay.arrays
    dur, n = a.durations, len(a.durations)
    fixed = a.capacity[:, :1] if a.capacity.shape[1] else np.zeros((a.capacity.shape[0], 1), dtype=np.int64)
    capacity = np.ascontiguousarray(np.repeat(fixed, int(dur.sum()) + 1, axis=1))  # room for any serial schedule
    free = np.empty_like(capacity)
    work = np.zeros((4, n), dtype=np.int64)
    rng = np.random.default_rng(seed)

    def decode(keys: FloatArray) -> int:
        return int(_decode_c(keys, dur, a.links, a.reversed_links, a.uses, capacity, free, work))

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
