"""Cutset dominance for the branch and bound: the memory of the states that failed.

A state is the set of tasks started (the key: one bit per task), its decision point and the ends of its running
tasks. If a state with some set failed to lead to a plan within the horizon, a later state with the same set, at
the same decision point or later, whose running tasks end no sooner (those still running past the later point),
fails too: whatever plan followed it would follow the first as well. The states live in an open-addressing hash
table of `SLOTS` slots; a new failure replaces a remembered one of the same set that it dominates.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

SLOT_BITS = 20
SLOTS = 1 << SLOT_BITS  # cutset table (open addressing); each slot holds a task-set key, a time and the ends
PROBES = 32
HASH = np.uint64(11400714819323198485)  # Fibonacci hashing


def new_table(tasks: int) -> tuple[Any, Any, Any]:
    """Empty memory: per slot a key (0 = empty), a decision point and the ends of the tasks."""
    return np.zeros(SLOTS, dtype=np.uint64), np.zeros(SLOTS, dtype=np.int64), np.zeros((SLOTS, tasks), dtype=np.int16)


@numba.njit(cache=True, nogil=True)
def key(fin):  # type: ignore[no-untyped-def]
    """The cutset key: one bit per started task, and the top bit so that no key is 0 (an empty slot)."""
    bits = np.uint64(1) << np.uint64(63)
    for j in range(fin.shape[0]):
        if fin[j] >= 0:
            bits |= np.uint64(1) << np.uint64(j)
    return bits


@numba.njit(cache=True, nogil=True)
def _slot(key, probe):  # type: ignore[no-untyped-def]
    return (int((key * HASH) >> np.uint64(64 - SLOT_BITS)) + probe) & (SLOTS - 1)


@numba.njit(cache=True, nogil=True)
def dominated(table, key, t, fin):  # type: ignore[no-untyped-def]
    keys, times, ends = table
    for probe in range(PROBES):
        s = _slot(key, probe)
        if keys[s] == 0:
            return False
        if keys[s] == key and times[s] <= t:
            covered = True
            for j in range(fin.shape[0]):
                if ends[s, j] > t and ends[s, j] > fin[j]:
                    covered = False
                    break
            if covered:
                return True
    return False


@numba.njit(cache=True, nogil=True)
def remember(table, key, t, fin):  # type: ignore[no-untyped-def]
    """Keep a failed state, over a remembered one of the same task set that it dominates."""
    keys, times, ends = table
    for probe in range(PROBES):
        s = _slot(key, probe)
        write = keys[s] == 0
        if not write and keys[s] == key and t <= times[s]:
            write = True
            for j in range(fin.shape[0]):
                if fin[j] > times[s] and fin[j] > ends[s, j]:
                    write = False
                    break
        if write:
            keys[s] = key
            times[s] = t
            for j in range(fin.shape[0]):
                ends[s, j] = fin[j]
            return
