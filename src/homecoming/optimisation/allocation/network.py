"""The aggregated flow network behind `allocate`.

Households with the same (origin, accepts, size, rooms_needed, priority, available) form a *class*; a
class node supplies its household count. Every unit of flow is one household and takes one of two roads:

* class -> sink: unplaced, cost size * unplaced * periods;
* class -> wait chain (s, rooms_needed, w) entered at t0 = max(available, opens_s), cost
  w * (t0 - available) + size * not_origin (if s is not the origin), where w = size * wait * (1 + priority);
  along the chain one arc per period costs w (one more period of waiting); an exit arc at period t leads to
  the house network of s at (t, level(rooms_needed)) (cost extra_room for rounding up to the first level);
  in the house network a unit may step up one room level (cost extra_room * difference) or back one period
  (cost 0), and leaves to the sink through a batch arc (s, rooms, ready) whose capacity is the house count.

A path therefore reaches a batch with rooms >= rooms_needed and ready <= t, at exactly the objective's cost.
Merging classes into wait chains by (s, rooms_needed, w) is exact: after entry, a household's cost depends
only on w and the exit period, and its house only on rooms_needed and the exit period.

The convoy limit (households arriving at s in t, over all room levels) is a side constraint over the exit
arcs of all chains of s at t: `convoy_rows` lists them. Without it the network is a pure min-cost flow.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from homecoming.optimisation.allocation.model import Household, Problem, never_opens

ClassKey = tuple[str, tuple[str, ...], int, int, int, int]  # origin, accepts, size, rooms_needed, priority, available
ChainKey = tuple[str, int, int]  # settlement, rooms_needed, w

BIG = 1 << 40
ENTRY, UNPLACED, WAIT, EXIT, UP, BACK, BATCH = range(7)
IntArray = npt.NDArray[np.int64]


@dataclass
class Network:
    num_nodes: int = 1  # node 0 is the sink
    tails: list[int] = field(default_factory=list)
    heads: list[int] = field(default_factory=list)
    capacities: list[int] = field(default_factory=list)
    costs: list[int] = field(default_factory=list)
    kinds: list[int] = field(default_factory=list)
    supplies: dict[int, int] = field(default_factory=dict)
    classes: list[ClassKey] = field(default_factory=list)
    class_members: list[list[int]] = field(default_factory=list)  # household indices, in id order
    class_weights: list[int] = field(default_factory=list)  # w = size * wait * (1 + priority)
    entry_arcs: list[list[tuple[int, str, int]]] = field(default_factory=list)  # per class: (arc, settlement, t0)
    unplaced_arcs: list[int] = field(default_factory=list)
    chains: dict[ChainKey, tuple[int, int]] = field(default_factory=dict)  # chain -> (first node, first period)
    exit_arcs: dict[ChainKey, dict[int, int]] = field(default_factory=dict)  # chain -> period -> arc
    batch_arcs: dict[tuple[str, int, int], int] = field(default_factory=dict)  # (s, rooms, ready) -> arc
    house_nodes: dict[tuple[str, int, int], int] = field(default_factory=dict)  # (s, t, level) -> node
    convoy_rows: dict[tuple[str, int], list[int]] = field(default_factory=dict)  # (s, t) -> exit arcs
    convoy_limits: dict[tuple[str, int], int] = field(default_factory=dict)
    house_start: dict[str, int] = field(default_factory=dict)  # first period of each settlement's house network
    house_levels: dict[str, list[int]] = field(default_factory=dict)
    merged: bool = False  # chains per (s, rooms_needed) only, waiting at their lightest class's w (a relaxation)
    block: int = 1  # periods per time step: above 1, a coarser relaxation (see `build`); house/chain times in steps
    chain_wait: dict[ChainKey, int] = field(default_factory=dict)  # chain -> cost of one more period

    def chain_key(self, s: str, rooms: int, w: int) -> ChainKey:
        return (s, rooms, 0 if self.merged else w)

    def node(self) -> int:
        self.num_nodes += 1
        return self.num_nodes - 1

    def arc(self, tail: int, head: int, capacity: int, cost: int, kind: int) -> int:
        self.tails.append(tail)
        self.heads.append(head)
        self.capacities.append(capacity)
        self.costs.append(cost)
        self.kinds.append(kind)
        return len(self.tails) - 1


def class_key(h: Household) -> ClassKey:
    return (h.origin, tuple(sorted(set(h.accepts) - {h.origin})), h.size, h.rooms_needed, h.priority, h.available)


def _house_levels(problem: Problem) -> dict[str, list[int]]:
    levels: dict[str, set[int]] = defaultdict(set)
    for b in problem.housing:
        if b.count > 0:
            levels[b.settlement].add(b.rooms)
    return {s: sorted(v) for s, v in levels.items()}


def _first_ready(problem: Problem) -> dict[tuple[str, int], int]:
    """Earliest period a house with at least r rooms is ready in s, per (s, r) for the listed room counts."""
    best: dict[tuple[str, int], int] = {}
    for b in problem.housing:
        if b.count > 0:
            key = (b.settlement, b.rooms)
            best[key] = min(best.get(key, b.ready), b.ready)
    return best


def _add_house_network(net: Network, problem: Problem) -> None:
    extra = problem.weights.extra_room
    opens = {s.id: s for s in problem.settlements}
    for s, levels in _house_levels(problem).items():
        if never_opens(opens[s], problem.periods):
            continue
        start = max(opens[s].opens or 0, min(b.ready for b in problem.housing if b.settlement == s and b.count > 0))
        start = min(start, problem.periods - 1) // net.block
        net.house_start[s] = start
        net.house_levels[s] = levels
        for t in range(start, _steps(net, problem)):
            for level in levels:
                net.house_nodes[(s, t, level)] = net.node()
        for t in range(start, _steps(net, problem)):
            for i, level in enumerate(levels):
                node = net.house_nodes[(s, t, level)]
                if i + 1 < len(levels):
                    up = net.house_nodes[(s, t, levels[i + 1])]
                    net.arc(node, up, BIG, extra * (levels[i + 1] - level), UP)
                if t > start:
                    net.arc(node, net.house_nodes[(s, t - 1, level)], BIG, 0, BACK)
    counts: dict[tuple[str, int, int], int] = defaultdict(int)
    for b in problem.housing:
        if b.count > 0:
            counts[(b.settlement, b.rooms, b.ready)] += b.count
    for (s, rooms, ready), count in sorted(counts.items()):
        if ready >= problem.periods or never_opens(opens[s], problem.periods):
            continue
        step = max(ready // net.block, net.house_start[s])
        node = net.house_nodes[(s, step, rooms)]
        limit = opens[s].convoy_households
        if step * net.block < ready and limit is not None:  # ready within its step: see _mid_step
            node = _mid_step(
                net,
                problem,
                node,
                (s, step, rooms),
                limit * (min(problem.periods, net.block * step + net.block) - ready),
            )
        net.batch_arcs[(s, rooms, ready)] = net.arc(node, 0, count, 0, BATCH)


def _mid_step(net: Network, problem: Problem, node: int, key: tuple[str, int, int], arrivals: int) -> int:
    """The node of a batch ready within a step (a coarser relaxation): reached from that step with at most
    `arrivals` households (what the settlement's convoys carry from its ready period to the step's end), or from
    any later step freely. Counting it ready from the step's start would let a settlement whose last houses come
    late take a whole step of convoys into them (national, 350,000 households, 2 periods a step: a bound 0.25 %
    lower)."""
    mid = net.node()
    net.arc(node, mid, arrivals, 0, BACK)
    later = (key[0], key[1] + 1, key[2])
    if later in net.house_nodes:
        net.arc(net.house_nodes[later], mid, BIG, 0, BACK)
    return mid


def _first_exit(problem: Problem, net: Network) -> dict[tuple[str, int], int]:
    """First period a household needing r rooms can move into s: a house with >= r rooms is ready."""
    first: dict[tuple[str, int], int] = {}
    for b in problem.housing:
        if b.count <= 0 or b.settlement not in net.house_start or b.ready >= problem.periods:
            continue
        t = max(b.ready // net.block, net.house_start[b.settlement])
        for r in range(1, b.rooms + 1):
            key = (b.settlement, r)
            first[key] = min(first.get(key, t), t)
    return first


def _classes(problem: Problem, net: Network) -> None:
    members: dict[ClassKey, list[int]] = defaultdict(list)
    order = sorted(range(len(problem.households)), key=lambda i: problem.households[i].id)
    for i in order:
        members[class_key(problem.households[i])].append(i)
    for key in sorted(members):
        net.classes.append(key)
        net.class_members.append(members[key])


def _chain_starts(problem: Problem, net: Network, first: dict[tuple[str, int], int]) -> dict[ChainKey, int]:
    opens = {s.id: s.opens or 0 for s in problem.settlements}
    starts: dict[ChainKey, int] = {}
    for origin, accepts, size, rooms, priority, available in net.classes:
        w = size * problem.weights.wait * (1 + priority)
        for s in (origin, *accepts):
            if (s, rooms) not in first:
                continue
            t0 = max(available, opens[s])
            if t0 >= problem.periods:
                continue
            key = net.chain_key(s, rooms, w)
            starts[key] = min(starts.get(key, t0 // net.block), t0 // net.block)
            net.chain_wait[key] = min(net.chain_wait.get(key, w), w)
    return starts


def _add_chains(problem: Problem, net: Network, first: dict[tuple[str, int], int], starts: dict[ChainKey, int]) -> None:
    extra = problem.weights.extra_room
    sites = {s.id: s for s in problem.settlements}
    k, steps = net.block, _steps(net, problem)
    for key in sorted(starts):
        s, rooms, _ = key
        w = net.chain_wait[key]
        start = starts[key]
        base = net.num_nodes
        net.num_nodes += steps - start
        net.chains[key] = (base, start)
        level = next(lv for lv in net.house_levels[s] if lv >= rooms)
        exits: dict[int, int] = {}
        limit, opens = sites[s].convoy_households, sites[s].opens or 0
        for t in range(start, steps):
            if t + 1 < steps:
                net.arc(base + t - start, base + t + 1 - start, BIG, w * k, WAIT)
            if t >= first[(s, rooms)]:
                arc = net.arc(base + t - start, net.house_nodes[(s, t, level)], BIG, extra * (level - rooms), EXIT)
                exits[t] = arc
                if limit is not None:  # the arrivals the step's open periods allow
                    net.convoy_rows.setdefault((s, t), []).append(arc)
                    net.convoy_limits[(s, t)] = limit * (min(problem.periods, k * t + k) - max(opens, k * t))
        net.exit_arcs[key] = exits


def _add_entries(problem: Problem, net: Network) -> None:
    opens = {s.id: s.opens or 0 for s in problem.settlements}
    weights = problem.weights
    for c, (origin, accepts, size, rooms, priority, available) in enumerate(net.classes):
        node = net.node()
        count = len(net.class_members[c])
        net.supplies[node] = count
        net.unplaced_arcs.append(net.arc(node, 0, count, size * weights.unplaced * problem.periods, UNPLACED))
        w = size * weights.wait * (1 + priority)
        net.class_weights.append(w)
        entries = []
        for s in (origin, *accepts):
            key = net.chain_key(s, rooms, w)
            if key not in net.chains:
                continue
            t0 = max(available, opens[s])
            if t0 >= problem.periods:
                continue
            base, start = net.chains[key]
            step = t0 // net.block  # waiting counted from the step's first period: at most the real wait
            cost = w * (net.block * step - available) + (size * weights.not_origin if s != origin else 0)
            entries.append((net.arc(node, base + step - start, count, cost, ENTRY), s, step))
        net.entry_arcs.append(entries)


def _steps(net: Network, problem: Problem) -> int:
    return -(-problem.periods // net.block)


def build(problem: Problem, *, merged: bool = False, block: int = 1) -> Network:
    """The aggregated network of `problem` (see the module docstring); `merged`: its relaxation with one chain per
    (s, rooms_needed) waiting at the lightest w (same flows, each costing at most what it costs in `problem`).

    `block` > 1: a coarser relaxation whose time steps are `block` periods each. A house ready, a settlement opening
    or a household available within a step counts from the step's start; a step's convoy row holds the arrivals of
    its open periods; waiting costs w * (block * step - available) at entry and w * block a step. Every allocation
    maps onto it (arrival at t -> step t // block) at no more than its cost, so its LP optimum is a lower bound too.
    """
    net = Network(merged=merged, block=block)
    _add_house_network(net, problem)
    _classes(problem, net)
    first = _first_exit(problem, net)
    _add_chains(problem, net, first, _chain_starts(problem, net, first))
    _add_entries(problem, net)
    net.supplies[0] = -len(problem.households)
    return net
