"""A Lagrangian lower bound on the weighted completion: the resources relaxed, everything else kept exact.

Each resource's capacity in each period gets a price λ[r,p] >= 0 and leaves the constraints: a task started at
s pays sum_r a_r * λ[r, s..s+d-1], and the objective gains -sum λ * capacity. What is left, the precedences and
each goal's completion after its tasks, with a cost per (task, start), is a minimum cut (a minimum-weight
closure, as in Möhring, Schulz, Stork and Uetz 2003): per task a chain of nodes, one per start in its
critical-path window, the arc leaving the node of start t costing the start at t; per goal a chain over its
possible completions costing w_g * t; an arc of infinite capacity from (i, t) to (j, t + d_i) for every link
i -> j (and from each required task to its goal), so that a finite cut is a schedule that keeps them.
OR-Tools' max-flow (push-relabel, C++) solves it exactly.

For ANY prices >= 0 that minimum is at most every plan's weighted completion (each plan is one of the cuts and
pays no more there: its resource use fits the capacity); the arc costs are rounded down to integers, which
only lowers the minimum. So every value found is a valid bound, whatever the prices; the prices are improved
by a subgradient method (Polyak steps towards a plan's value), and the best value is kept. The best over all
prices equals the disaggregated time-indexed LP's optimum (the closure polytope is integral), which is at
least the plain LP's.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from ortools.graph.python import max_flow

from homecoming.optimisation.sequencing.sgs import Layout
from homecoming.optimisation.sequencing.timeindexed import windows

# From this many connected parts (about 500 settlements) the prices start on a sample of every SAMPLE_EVERY-th part
# (each max flow that many times cheaper) for this share of the time; any prices give a valid bound
SAMPLE_FROM, SAMPLE_EVERY, SAMPLE_SHARE = 64, 8, 0.4
SCALE = 1_000.0  # arc costs are rounded down to multiples of 1/SCALE (the bound loses at most nodes / SCALE)
# The relaxed schedule that guides the plans: per task the median start of the last WINDOW cuts (one cut is an
# extreme point that jumps with the prices; the recent cuts together approximate the LP's fractional schedule).
# The method stops once WINDOW evaluations have raised the best bound by less than CONVERGED of it: the time left
# goes to the plans
WINDOW, CONVERGED = 40, 2e-4


@dataclass(frozen=True)
class Cut:
    value: float  # the relaxed problem's minimum, rounded down: a lower bound on every plan
    starts: np.ndarray  # every task's start in the minimum cut


class Relaxation:
    """The relaxed problem of a layout as a max-flow graph whose chain arcs are re-priced per evaluation."""

    def __init__(self, lay: Layout) -> None:
        low, high = (np.asarray(x, dtype=np.int64) for x in windows(lay))
        self.tasks = len(lay.durations)
        self.durations = np.asarray(lay.durations, dtype=np.int64)
        ends = low + self.durations
        goal_low = np.array([max((int(ends[i]) for i in t), default=0) for t in lay.goal_tasks], dtype=np.int64)
        self.low = np.concatenate([low, goal_low])  # jobs: the tasks, then one per goal (its completion)
        self.high = np.concatenate([high, np.full(len(goal_low), lay.horizon, dtype=np.int64)])
        width = self.high - self.low + 1
        self.first = 2 + np.concatenate([[0], np.cumsum(width)[:-1]])  # node of (job, low); 0 source, 1 sink
        self.job = np.repeat(np.arange(len(width)), width)  # per window node: its job
        self.period = self.low[self.job] + np.arange(int(width.sum())) - np.repeat(self.first - 2, width)
        self.demand = lay.arrays.demand.astype(float)
        self.capacity = lay.capacity.astype(float)
        self.weights = np.asarray(lay.weights, dtype=float)
        self.constant = float(self.weights @ goal_low)  # goal costs are w_g * (t - low_g) on the arcs
        self.horizon = lay.horizon
        self.parts = _parts(self, lay, width)

    def costs(self, prices: np.ndarray) -> np.ndarray:
        """The cost of every window node's start (task) or completion (goal) at these prices."""
        prefix = np.zeros((prices.shape[0], self.horizon + 1))
        np.cumsum(prices, axis=1, out=prefix[:, 1:])
        is_task = self.job < self.tasks
        job, start = self.job[is_task], self.period[is_task]
        end = np.minimum(start + self.durations[job], self.horizon)
        cost = np.zeros(len(self.job))
        for r in range(prices.shape[0]):
            cost[is_task] += self.demand[job, r] * (prefix[r][end] - prefix[r][start])
        goal = self.job[~is_task] - self.tasks
        cost[~is_task] = self.weights[goal] * (self.period[~is_task] - self.low[self.job[~is_task]])
        return cost

    def evaluate(self, prices: np.ndarray, sample: Sample | None = None) -> Cut:
        """The relaxed minimum at prices >= 0 (a lower bound) and the task starts of its cut; of `sample` only when
        given (its value is no bound of the whole: it guides the prices)."""
        scaled = np.floor(np.maximum(self.costs(prices), 0.0) * SCALE).astype(np.int64)
        side = np.zeros(len(self.job), dtype=np.int64)
        flow = sum(part.solve(scaled, side) for part in (self.parts if sample is None else sample.parts))
        count = np.add.reduceat(side, self.first - 2)
        starts = self.low[: self.tasks] + count[: self.tasks] - 1
        constant, capacity = (self.constant, self.capacity) if sample is None else (sample.constant, sample.capacity)
        return Cut(flow / SCALE + constant - float((prices * capacity).sum()), starts)

    def overload(self, starts: np.ndarray, sample: Sample | None = None) -> np.ndarray:
        """Per resource and period: use by these starts minus capacity (the subgradient of the prices)."""
        demand = self.demand if sample is None else self.demand * sample.tasks[:, None]
        use = np.zeros((self.capacity.shape[0], self.horizon + 1))
        for r in range(use.shape[0]):
            np.add.at(use[r], starts, demand[:, r])
            np.add.at(use[r], np.minimum(starts + self.durations, self.horizon), -demand[:, r])
        over: np.ndarray = np.cumsum(use, axis=1)[:, : self.horizon] - (
            self.capacity if sample is None else sample.capacity
        )
        return over

    def sample(self, every: int) -> Sample:
        """Every `every`-th connected part, with each resource's capacity cut to the share of its work they hold:
        a programme of the same kind, `every` times smaller, whose prices are near the whole one's."""
        parts = self.parts[::every]
        jobs = np.zeros(len(self.low), dtype=bool)
        for part in parts:
            jobs[self.job[part.nodes]] = True
        tasks = jobs[: self.tasks]
        work = self.demand * self.durations[:, None]
        share = work[tasks].sum(axis=0) / np.maximum(work.sum(axis=0), 1e-12)
        goals = jobs[self.tasks :]
        constant = float(self.weights[goals] @ self.low[self.tasks :][goals])
        return Sample(parts, tasks, constant, self.capacity * np.where(work.sum(axis=0) > 0, share, 1.0)[:, None])


@dataclass(frozen=True)
class Sample:
    parts: list[_Part]
    tasks: np.ndarray  # per task: in the sample
    constant: float
    capacity: np.ndarray  # the capacity cut to the sample's share of the work


class _Part:
    """One connected part of the network (a district with its settlements) as a max-flow graph of its own: many
    small graphs solve much faster than one large one."""

    def __init__(self, nodes: np.ndarray, tails: np.ndarray, heads: np.ndarray, chain: np.ndarray) -> None:
        self.nodes = nodes  # the part's window nodes (global numbers); tails and heads in local numbers
        self.graph = max_flow.SimpleMaxFlow()
        arcs = self.graph.add_arcs_with_capacity(
            tails.astype(np.int32), heads.astype(np.int32), np.zeros(len(tails), dtype=np.int64)
        )
        arcs = np.asarray(arcs, dtype=np.int32)
        self.chain_arcs, self.chain_nodes = arcs[chain >= 0], chain[chain >= 0]
        self.infinite = arcs[chain < 0]

    def solve(self, scaled: np.ndarray, side: np.ndarray) -> int:
        """The part's minimum cut at these arc costs; marks its source-side nodes in `side`."""
        costs = scaled[self.chain_nodes]
        self.graph.set_arcs_capacity(self.chain_arcs, costs)
        big = int(costs.sum()) + 1  # more than every finite cut (cutting every chain somewhere)
        self.graph.set_arcs_capacity(self.infinite, np.full(len(self.infinite), big, dtype=np.int64))
        if self.graph.solve(0, 1) != self.graph.OPTIMAL:
            raise RuntimeError("the relaxed problem's max flow failed")
        on = np.asarray(self.graph.get_source_side_min_cut(), dtype=np.int64)
        side[self.nodes[on[on >= 2] - 2]] = 1
        return int(self.graph.optimal_flow())


def _parts(relaxed: Relaxation, lay: Layout, width: np.ndarray) -> list[_Part]:
    """The arcs (window nodes numbered from 0, -2 the source, -1 the sink), split by connected part of the jobs."""
    first = relaxed.first - 2
    node = np.arange(len(relaxed.job))
    last = np.isin(node, first + width - 1)
    tails, heads, chain = [node], [np.where(last, -1, node + 1)], [node]  # (job, t) -> (job, t + 1) or the sink
    back = node[~np.isin(node, first)]
    tails += [back, np.full(len(first), -2)]  # the cut leaves a prefix of each chain; the source feeds each
    heads += [back - 1, first]
    chain += [np.full(len(back) + len(first), -1)]
    links = [(i, j) for i, succ in enumerate(lay.successors) for j in succ]
    links += [(i, relaxed.tasks + g) for g, tasks in enumerate(lay.goal_tasks) for i in tasks]
    link_tails, link_heads = _precedence_arcs(relaxed, np.array(links, dtype=np.int64).reshape(-1, 2))
    tails.append(link_tails)
    heads.append(link_heads)
    chain.append(np.full(len(link_tails), -1))
    part = _components(len(width), links)[relaxed.job]
    all_tails, all_heads, all_chain = (np.concatenate(x) for x in (tails, heads, chain))
    owner = part[np.where(all_tails >= 0, all_tails, all_heads)]
    nodes_by, arcs_by = np.argsort(part, kind="stable"), np.argsort(owner, kind="stable")
    node_cut = np.searchsorted(part[nodes_by], np.arange(part.max(initial=-1) + 2))
    arc_cut = np.searchsorted(owner[arcs_by], np.arange(part.max(initial=-1) + 2))
    local = np.empty(len(part) + 2, dtype=np.int64)  # global -> local numbers (index -2: source, -1: sink)
    local[nodes_by] = np.arange(len(part)) - node_cut[part[nodes_by]] + 2
    local[-2], local[-1] = 0, 1
    out = []
    for k in range(len(node_cut) - 1):
        arcs = arcs_by[arc_cut[k] : arc_cut[k + 1]]
        nodes = nodes_by[node_cut[k] : node_cut[k + 1]]
        out.append(_Part(nodes, local[all_tails[arcs]], local[all_heads[arcs]], all_chain[arcs]))
    return out


def _precedence_arcs(relaxed: Relaxation, links: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """S_j >= S_i + d_i for every link (i, j): (i, t) on the source side puts (j, t + d_i) there too (the sink
    when t + d_i is past j's window: i cannot start at t)."""
    first, low, high, durations = relaxed.first - 2, relaxed.low, relaxed.high, relaxed.durations
    i, j = links[:, 0], links[:, 1]
    count = high[i] - low[i] + 1
    offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    i, j = np.repeat(i, count), np.repeat(j, count)
    t = low[i] + offset
    later = t + durations[i]
    keep = later > low[j]  # at or before j's earliest start the link holds anyway
    i, j, t, later = i[keep], j[keep], t[keep], later[keep]
    return first[i] + t - low[i], np.where(later > high[j], -1, first[j] + np.minimum(later, high[j]) - low[j])


def _components(jobs: int, links: list[tuple[int, int]]) -> np.ndarray:
    """Per job, the number of its connected part (union-find over the links)."""
    parent = list(range(jobs))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in links:
        parent[root(i)] = root(j)
    roots = np.array([root(x) for x in range(jobs)])
    return np.unique(roots, return_inverse=True)[1]


@dataclass(frozen=True)
class LagrangianBound:
    bound: int  # the best value found, rounded up
    value: float
    iterations: int
    seconds: float
    prices: np.ndarray  # the prices of the best value
    starts: list[int]  # the task starts of its cut (empty when no price was tried)
    guide: list[float]  # per task the median start of the last cuts (empty when no price was tried)


def lagrangian_bound(lay: Layout, *, target: float, deadline: float, prices: np.ndarray | None = None,
                     max_iterations: int = 10_000,
                     on_better: Callable[[int, list[float]], None] | None = None) -> LagrangianBound:  # fmt: skip
    """The best bound the subgradient method finds by `deadline` (time.monotonic()) or once it has converged, Polyak
    steps towards `target` (a plan's weighted completion, above the best bound), from `prices` (zero when None: the
    critical paths); `on_better` is told of each better bound (rounded up) with the relaxed schedule (`guide`)."""
    began = time.monotonic()
    relaxed = Relaxation(lay)
    current = np.zeros_like(relaxed.capacity) if prices is None else np.maximum(prices, 0.0)
    if prices is None and len(relaxed.parts) >= SAMPLE_FROM:
        sample = relaxed.sample(SAMPLE_EVERY)
        share = sample.constant / max(relaxed.constant, 1e-12)
        until = time.monotonic() + SAMPLE_SHARE * (deadline - time.monotonic())
        current = _subgradient(relaxed, current, share * target, until, max_iterations, sample=sample).prices
    found = _subgradient(relaxed, current, target, deadline, max_iterations, on_better=on_better)
    return replace(found, seconds=time.monotonic() - began)


def _subgradient(relaxed: Relaxation, current: np.ndarray, target: float, deadline: float, max_iterations: int,
                 on_better: Callable[[int, list[float]], None] | None = None,
                 sample: Sample | None = None) -> LagrangianBound:  # fmt: skip
    best_value, best, best_starts = -math.inf, current, []
    theta, stale, iterations = 1.0, 0, 0
    recent: deque[np.ndarray] = deque(maxlen=WINDOW)  # the last cuts' starts
    bests: list[float] = []  # the best value after each evaluation
    while iterations < max_iterations and time.monotonic() < deadline and not _converged(bests):
        cut = relaxed.evaluate(current, sample)
        iterations += 1
        recent.append(cut.starts)
        if cut.value > best_value:
            best_value, best, best_starts, stale = cut.value, current, [int(x) for x in cut.starts], 0
            if on_better is not None:
                on_better(_rounded_up(best_value), _median(recent))
        else:
            stale += 1
            if stale >= 5:
                theta, stale = max(theta / 2, 1e-3), 0
        g = relaxed.overload(cut.starts, sample)
        norm = float((g * g).sum())
        if norm == 0:
            break
        current = np.maximum(current + theta * max(target - cut.value, 1e-6 * abs(target)) / norm * g, 0.0)
        bests.append(best_value)
    bound = _rounded_up(best_value) if math.isfinite(best_value) else 0
    return LagrangianBound(bound, best_value, iterations, 0.0, best, best_starts, _median(recent) if recent else [])


def _converged(bests: list[float]) -> bool:
    """The last WINDOW evaluations raised the best bound by less than CONVERGED of it."""
    return len(bests) > WINDOW and bests[-1] - bests[-1 - WINDOW] <= CONVERGED * abs(bests[-1])


def _median(starts: deque[np.ndarray]) -> list[float]:
    return [float(x) for x in np.median(np.stack(list(starts)), axis=0)]


def _rounded_up(value: float) -> int:
    """The least integer at or above `value`, less a margin for the floating-point sums (plans' values are whole)."""
    return math.ceil(value - 1e-9 * max(1.0, abs(value)))
