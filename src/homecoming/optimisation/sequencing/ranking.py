"""Local search over the order of goals, each order decoded by the serial SGS.

Moving one settlement earlier or later in the ranking and re-running the SGS explores plans that CP-SAT's
neighbourhoods reach slowly on large programmes: the SGS keeps every plan feasible and dense, and the
ranking is exactly the decision a planner argues about.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from homecoming.optimisation.sequencing.sgs import (
    IntArray,
    Layout,
    activity_list,
    earliest_fit,
    objective,
    serial_sgs,
    task_priority,
)


def decode(lay: Layout, ranking: Sequence[int]) -> list[int] | None:
    """Starts from the SGS when goals are served in `ranking` order."""
    return serial_sgs(lay, activity_list(lay, task_priority(lay, _positions(ranking))))


def _positions(ranking: Sequence[int]) -> list[float]:
    position = [0.0] * len(ranking)
    for k, g in enumerate(ranking):
        position[g] = float(k)
    return position


@dataclass
class _Decoded:
    """An accepted plan with the SGS state saved every few tasks, so that a changed ranking only re-runs the
    SGS from the first task whose place in the activity list changed (the prefix would come out the same)."""

    order: list[int]
    start: list[int]
    saved: list[tuple[int, IntArray, list[int], list[int]]]  # (index in order, free, ready, start) before it


def _run(lay: Layout, order: list[int], base: _Decoded | None, every: int = 64) -> _Decoded | None:
    k = 0
    if base is not None:
        while k < len(order) and order[k] == base.order[k]:
            k += 1
    saved = [c for c in base.saved if c[0] <= k] if base is not None else []
    if saved:
        k, free, ready, start = saved[-1][0], saved[-1][1].copy(), list(saved[-1][2]), list(saved[-1][3])
    else:
        k, free, ready, start = 0, lay.capacity.copy(), list(lay.earliest), [0] * len(lay.durations)
        saved = []
    for index in range(k, len(order)):
        if index % every == 0 and (not saved or saved[-1][0] < index):
            saved.append((index, free.copy(), list(ready), list(start)))
        i = order[index]
        s = earliest_fit(free, lay.demands[i], lay.durations[i], ready[i], lay.horizon)
        if s is None:
            return None
        start[i] = s
        end = s + lay.durations[i]
        for r, amount in lay.demands[i]:
            free[r, s:end] -= amount
        for j in lay.successors[i]:
            ready[j] = max(ready[j], end)
    return _Decoded(order, start, saved)


def improve_ranking(
    lay: Layout,
    ranking: list[int],
    *,
    deadline: float,
    seed: int = 0,
    on_better: Callable[[list[int]], object] | None = None,
    moves: int | None = None,
) -> tuple[list[int], list[int] | None]:
    """Accept a moved goal when the decoded plan is no worse; stop at `deadline` (time.monotonic()) or, when
    `moves` is given, after that many moves tried (with `deadline=math.inf`: the same result at any speed)."""
    rng = random.Random(seed)
    current = _run(lay, activity_list(lay, task_priority(lay, _positions(ranking))), None)
    if current is None or len(ranking) < 2:
        return ranking, None if current is None else current.start
    best = objective(lay, current.start)
    reach = max(2, len(ranking) // 10)
    tried = 0
    while time.monotonic() < deadline and (moves is None or tried < moves):
        tried += 1
        moved = list(ranking)
        k = rng.randrange(len(moved))
        goal = moved.pop(k)
        moved.insert(max(0, min(len(moved), k + rng.randint(-reach, reach))), goal)
        trial = _run(lay, activity_list(lay, task_priority(lay, _positions(moved))), current)
        if trial is None:
            continue
        value = objective(lay, trial.start)
        if value <= best:
            if value < best and on_better is not None:
                on_better(trial.start)
            ranking, best, current = moved, value, trial
    return ranking, current.start
