"""A network's integral flows turned back into households: which household arrives where and when, in which house.

Classes leave their waiting chains heaviest first (at each exit, among the households that have entered by then),
and each arrival follows the house arcs' flows to the batch it ends in.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from homecoming.optimisation.allocation.model import Placement, Problem
from homecoming.optimisation.allocation.network import BATCH, Network


def _chain_arrivals(net: Network, flows: list[int]) -> dict[tuple[str, int, int], list[int]]:
    """Household indices arriving at (settlement, period, rooms_needed): at each exit of a chain, the heaviest of
    the households that have entered it by then (first in, first out among equals; in a chain of one w, simply
    first in first out), which on a merged chain (network.py) is the cheapest way to follow its flow."""
    entries: dict[tuple[str, int, int], list[tuple[int, int, int]]] = defaultdict(list)  # chain -> (t0, class, n)
    for c, arcs in enumerate(net.entry_arcs):
        rooms = net.classes[c][3]
        for arc, s, t0 in arcs:
            if flows[arc] > 0:
                entries[net.chain_key(s, rooms, net.class_weights[c])].append((t0, c, flows[arc]))
    taken = [0] * len(net.classes)
    arrivals: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    for key, exits in net.exit_arcs.items():
        pending = sorted(entries.get(key, []))
        pool: list[tuple[int, int, int, list[int]]] = []  # (-w, t0, class, members not yet out, reversed)
        k = 0
        for t in sorted(exits):
            n = flows[exits[t]]
            while k < len(pending) and pending[k][0] <= t:
                t0, c, count = pending[k]
                members = net.class_members[c][taken[c] : taken[c] + count]
                taken[c] += count
                heapq.heappush(pool, (-net.class_weights[c], t0, c, members[::-1]))
                k += 1
            while n > 0:
                group = pool[0][3]
                while n > 0 and group:
                    arrivals[(key[0], t, key[1])].append(group.pop())
                    n -= 1
                if not group:
                    heapq.heappop(pool)
    return arrivals


def disaggregate(problem: Problem, net: Network, flows: list[int]) -> tuple[list[Placement], list[str]]:
    """Individual placements from the integral aggregated flow (deterministic: households in id order)."""
    unplaced: list[str] = []
    for c, arc in enumerate(net.unplaced_arcs):
        n = flows[arc]
        members = net.class_members[c]
        unplaced.extend(problem.households[i].id for i in members[len(members) - n :])
    arrivals = _chain_arrivals(net, flows)
    houses = _HouseFlows(net, flows)
    placements: list[Placement] = []
    for (s, t, rooms), people in sorted(arrivals.items()):
        level = next(lv for lv in net.house_levels[s] if lv >= rooms)
        position = 0
        for (_, house_rooms, ready), n in houses.route(net.house_nodes[(s, t, level)], len(people)):
            placements.extend(
                Placement(problem.households[i].id, s, house_rooms, ready, t) for i in people[position : position + n]
            )
            position += n
    return placements, unplaced


class _HouseFlows:
    """The flow left on each arc of the house network, followed from a node down to the batches (a DAG: rooms only
    go up and periods only back, so every unit that enters a node leaves through some batch)."""

    def __init__(self, net: Network, flows: list[int]) -> None:
        self.remaining = flows
        self.kinds = net.kinds
        self.heads = net.heads
        self.batch_of = {arc: key for key, arc in net.batch_arcs.items()}
        house_nodes = set(net.house_nodes.values())
        self.out_arcs: dict[int, list[int]] = defaultdict(list)
        for a, f in enumerate(flows):
            if f > 0 and net.tails[a] in house_nodes:
                self.out_arcs[net.tails[a]].append(a)

    def route(self, node: int, n: int) -> list[tuple[tuple[str, int, int], int]]:
        """Send `n` units on from `node`: how many end in each batch, taking each arc's flow in turn."""
        ends: list[tuple[tuple[str, int, int], int]] = []
        arcs = self.out_arcs[node]
        while n > 0:
            arc = arcs[0]
            k = min(n, self.remaining[arc])
            self.remaining[arc] -= k
            if self.remaining[arc] == 0:
                arcs.pop(0)
            if self.kinds[arc] == BATCH:
                ends.append((self.batch_of[arc], k))
            else:
                ends.extend(self.route(self.heads[arc], k))
            n -= k
        return ends
