"""Local search over the order of goals, each order decoded by the serial SGS.

Moving one settlement earlier or later in the ranking and re-running the SGS explores plans that CP-SAT's
neighbourhoods reach slowly on large programmes: the SGS keeps every plan feasible and dense, and the
ranking is exactly the decision a planner argues about.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence

from homecoming.optimisation.sequencing.sgs import Layout, activity_list, objective, serial_sgs, task_priority


def decode(lay: Layout, ranking: Sequence[int]) -> list[int] | None:
    """Starts from the SGS when goals are served in `ranking` order."""
    return serial_sgs(lay, activity_list(lay, task_priority(lay, _positions(ranking))))


def _positions(ranking: Sequence[int]) -> list[float]:
    position = [0.0] * len(ranking)
    for k, g in enumerate(ranking):
        position[g] = float(k)
    return position


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
    current = decode(lay, ranking)
    if current is None or len(ranking) < 2:
        return ranking, current
    best = objective(lay, current)
    reach = max(2, len(ranking) // 10)
    tried = 0
    while time.monotonic() < deadline and (moves is None or tried < moves):
        tried += 1
        moved = list(ranking)
        k = rng.randrange(len(moved))
        goal = moved.pop(k)
        moved.insert(max(0, min(len(moved), k + rng.randint(-reach, reach))), goal)
        trial = decode(lay, moved)
        if trial is None:
            continue
        value = objective(lay, trial)
        if value <= best:
            if value < best and on_better is not None:
                on_better(trial)
            ranking, best, current = moved, value, trial
    return ranking, current
