"""Large-neighbourhood search around the incumbent: free some tasks, keep the rest where they are, and let
CP-SAT re-place the free ones in the capacity the fixed ones leave (a small model, built fresh each time)."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import numpy as np
from ortools.sat.python import cp_model

from homecoming.optimisation.sequencing.cpsat import calendar_dips
from homecoming.optimisation.sequencing.sgs import Layout, activity_list, serial_sgs


def residual(lay: Layout, start: Sequence[int], free: set[int]) -> np.ndarray:
    left = lay.capacity.copy()
    for i, d in enumerate(lay.durations):
        if i not in free:
            for r, amount in lay.demands[i]:
                left[r, start[i] : start[i] + d] -= amount
    return left


def reoptimise(
    lay: Layout, start: Sequence[int], free: set[int], *, time_limit: float, workers: int, seed: int
) -> tuple[list[int], bool] | None:
    """New starts with the free tasks re-placed (never worse than `start`), and whether CP-SAT proved the
    neighbourhood optimal; None if it found nothing in time."""
    m = cp_model.CpModel()
    dur = lay.durations
    var: dict[int, cp_model.IntVar] = {}
    for i in sorted(free):
        lo = max([lay.earliest[i]] + [start[p] + dur[p] for p in lay.predecessors[i] if p not in free])
        hi = min([lay.horizon - dur[i]] + [start[j] - dur[i] for j in lay.successors[i] if j not in free])
        var[i] = m.new_int_var(lo, hi, f"s{i}")
        m.add_hint(var[i], start[i])
    for i in free:
        for j in lay.successors[i]:
            if j in free:
                m.add(var[j] >= var[i] + dur[i])
    left = residual(lay, start, free)
    for r in range(left.shape[0]):
        users = [(i, a) for i in free for (rr, a) in lay.demands[i] if rr == r and dur[i] > 0]
        if not users:
            continue
        peak, dips = calendar_dips([int(c) for c in left[r]])
        intervals = [m.new_fixed_size_interval_var(var[i], dur[i], "") for i, _ in users]
        intervals += [m.new_fixed_size_interval_var(s, n, "") for s, n, _ in dips]
        m.add_cumulative(intervals, [a for _, a in users] + [d for _, _, d in dips], peak)
    terms = []
    for g, tasks in enumerate(lay.goal_tasks):
        moving = [i for i in tasks if i in free]
        if not moving:
            continue
        fixed_end = max((start[i] + dur[i] for i in tasks if i not in free), default=0)
        c = m.new_int_var(fixed_end, lay.horizon, f"c{g}")
        for i in moving:
            m.add(c >= var[i] + dur[i])
        terms.append((c, lay.weights[g]))
    m.minimize(cp_model.LinearExpr.weighted_sum([c for c, _ in terms], [w for _, w in terms]))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    code = solver.solve(m)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    new = list(start)
    for i, v in var.items():
        new[i] = int(solver.value(v))
    return new, code == cp_model.OPTIMAL


def time_window(lay: Layout, start: Sequence[int], size: int, rng: random.Random) -> set[int]:
    """About `size` tasks whose starts are consecutive in time, around a random task."""
    by_start = sorted(range(len(start)), key=lambda i: (start[i], rng.random()))
    if size >= len(by_start):
        return set(by_start)
    first = rng.randrange(len(by_start) - size + 1)
    return set(by_start[first : first + size])


def goal_window(lay: Layout, start: Sequence[int], size: int, rng: random.Random) -> set[int]:
    """The tasks that only serve goals completing near each other in time (about `size` tasks)."""
    ends = [max((start[i] + lay.durations[i] for i in tasks), default=0) for tasks in lay.goal_tasks]
    goals = sorted(range(len(ends)), key=lambda g: (ends[g], rng.random()))
    owned: dict[int, list[int]] = {}
    for i, feeds in enumerate(lay.feeds):
        if len(feeds) == 1:
            owned.setdefault(feeds[0], []).append(i)
    first = rng.randrange(len(goals))
    chosen: set[int] = set()
    for g in goals[first:] + goals[:first]:
        chosen.update(owned.get(g, []))
        if len(chosen) >= size:
            break
    return chosen


def random_goals(lay: Layout, start: Sequence[int], size: int, rng: random.Random) -> set[int]:
    """The own tasks of goals picked at random, plus the tasks running alongside one of them."""
    chosen: set[int] = set()
    goals = list(range(len(lay.goal_tasks)))
    rng.shuffle(goals)
    owned: dict[int, list[int]] = {}
    for i, feeds in enumerate(lay.feeds):
        if len(feeds) == 1:
            owned.setdefault(feeds[0], []).append(i)
    for g in goals:
        chosen.update(owned.get(g, []))
        if len(chosen) >= size // 2:
            break
    return chosen | time_window(lay, start, size - len(chosen), rng)


def lp_late(lay: Layout, start: Sequence[int], size: int, rng: random.Random, mean: Sequence[float]) -> set[int]:
    """Where the plan and the LP disagree most: a task drawn among those starting furthest after their LP mean
    start, and about `size` tasks running between its LP start and its plan's end, those that disagree most
    with the LP first (either way: the ones to move later make room for the ones to move earlier)."""
    late = sorted(range(len(start)), key=lambda i: (mean[i] - start[i], rng.random()))
    seed = late[min(int(rng.expovariate(1.0 / max(1.0, size / 4))), len(late) - 1)]
    begin = min(math.floor(mean[seed]), start[seed])
    end = max(math.ceil(mean[seed]), start[seed]) + lay.durations[seed]
    near = [i for i in range(len(start)) if i != seed and start[i] < end and start[i] + lay.durations[i] > begin]
    near.sort(key=lambda i: (-abs(start[i] - mean[i]), rng.random()))
    chosen = {seed, *near[: size - 1]}
    return chosen if len(chosen) >= size else chosen | time_window(lay, start, size - len(chosen), rng)


def lp_repair(lay: Layout, start: Sequence[int], free: set[int], mean: Sequence[float]) -> list[int] | None:
    """The compiled SGS with the kept tasks in their plan's order and the free ones at their LP mean start
    (α-point): the free tasks take the places the LP gives them, the rest close up around them."""
    priority = [mean[i] if i in free else float(start[i]) for i in range(len(start))]
    return serial_sgs(lay, activity_list(lay, priority))


EXPLORE = 0.15  # the share of the pickers' draws made uniformly
MEMORY = 0.7  # the weight of a picker's past rounds in its rate


class Pickers:
    """Which neighbourhood to free next, learnt as the search goes (adaptive LNS): each picker's recent gain per
    second of its rounds (an exponential average), a picker drawn with a chance in proportion to it, a share of the
    draws uniform so that every picker keeps being tried; each picker with its own neighbourhood size, grown when
    CP-SAT closes its neighbourhoods and shrunk when it cannot. Measured at 100 and 300 settlements with the rounds
    taken in turn: the windows of time and of goals gained 3 to 6 times more per second than the rounds chosen where
    the relaxed schedule and the plan disagree, which CP-SAT seldom closes in its second."""

    def __init__(self, names: Sequence[str], size: int, tasks: int, rng: random.Random) -> None:
        self.names: list[str] = []
        self.tasks, self.rng, self.first_size = tasks, rng, min(size, tasks)
        self.size: dict[str, int] = {}
        self.rate: dict[str, float] = {}  # gain per second, an exponential average over the picker's rounds
        self.tried: dict[str, int] = {}
        for name in names:
            self.add(name)

    def add(self, name: str) -> None:
        """A picker joins (untried: drawn next)."""
        if name not in self.size:
            self.names.append(name)
            self.size[name], self.rate[name], self.tried[name] = self.first_size, 0.0, 0

    def draw(self) -> str:
        untried = [n for n in self.names if self.tried[n] == 0]
        if untried:
            return untried[0]
        if self.rng.random() < EXPLORE:
            return self.rng.choice(self.names)
        top = max(self.rate.values())
        if top <= 0:
            return self.rng.choice(self.names)
        return self.rng.choices(self.names, [max(self.rate[n], 0.05 * top) for n in self.names])[0]

    def tell(self, name: str, gain: float, seconds: float, proven: bool | None) -> None:
        """A round of `name`: the objective it gained (relative), its seconds, whether CP-SAT closed it (None: no
        answer in time)."""
        rate = gain / max(seconds, 1e-3)
        self.rate[name] = rate if self.tried[name] == 0 else (1 - MEMORY) * rate + MEMORY * self.rate[name]
        self.tried[name] += 1
        size = self.size[name]
        self.size[name] = min(self.tasks, int(size * 1.2) + 1) if proven else max(min(30, self.tasks), int(size * 0.8))
