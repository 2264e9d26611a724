"""Lower-bound reasoning that the plain model does not have.

* Energy delays: if task j comes (transitively) after task i, every task between them must run inside
  [end_i, start_j), so start_j - start_i >= d_i + ceil(energy_r(between) / peak_r) for every resource r.
  The same holds between a task and the completion of a goal that needs it. These become extra
  precedence constraints in CP-SAT, which propagate on every branch.
* Heads and tails (fixed capacities): the earliest start of a task and the time its chain of successors
  needs after it starts, lifted by the work of all its predecessors (successors) on each resource. They are
  the branch and bound's bounds.
"""

from __future__ import annotations

from dataclasses import dataclass

from homecoming.optimisation.sequencing.sgs import Layout


@dataclass(frozen=True)
class Delays:
    tasks: list[tuple[int, int, int]]  # (i, j, delay): start_j >= start_i + delay, stronger than the chain
    goals: list[tuple[int, int, int]]  # (i, g, delay): completion_g >= start_i + delay


def closure(lay: Layout) -> list[set[int]]:
    """Every task's transitive successors."""
    after: list[set[int]] = [set() for _ in lay.durations]
    for i in reversed(lay.order):
        for j in lay.successors[i]:
            after[i] |= after[j]
            after[i].add(j)
    return after


def ancestors(after: list[set[int]]) -> list[set[int]]:
    """Every task's transitive predecessors, from the transitive successors."""
    before: list[set[int]] = [set() for _ in after]
    for i, succ in enumerate(after):
        for j in succ:
            before[j].add(i)
    return before


def peaks(lay: Layout) -> list[int]:
    """Each resource's highest capacity over the horizon (its capacity, when it never changes)."""
    return [int(row.max()) if row.size else 0 for row in lay.capacity]


def _needs(lay: Layout) -> list[set[int]]:
    """Per goal: its required tasks and all their transitive predecessors."""
    needs = []
    for tasks in lay.goal_tasks:
        seen = set(tasks)
        stack = list(tasks)
        while stack:
            for p in lay.predecessors[stack.pop()]:
                if p not in seen:
                    seen.add(p)
                    stack.append(p)
        needs.append(seen)
    return needs


def _energy_delay(lay: Layout, between: set[int], peaks: list[int]) -> int:
    """ceil(energy / peak) over the resources: the fewest periods the `between` tasks need."""
    energy = [0] * len(peaks)
    for k in between:
        for r, amount in lay.demands[k]:
            energy[r] += amount * lay.durations[k]
    return max((-(-e // p) for e, p in zip(energy, peaks, strict=True) if p > 0), default=0)


def _chain(lay: Layout, i: int, inside: set[int], position: list[int]) -> dict[int, int]:
    """Longest path (start to start) from i to every task of `inside` (its transitive successors)."""
    dist = {i: 0}
    for k in sorted([i, *inside], key=position.__getitem__):
        for j in lay.successors[k]:
            dist[j] = max(dist.get(j, 0), dist[k] + lay.durations[k])
    return dist


def energy_delays(lay: Layout, max_pairs: int = 200_000) -> Delays:
    highest = peaks(lay)
    after = closure(lay)
    if sum(len(a) for a in after) > max_pairs:
        return Delays([], [])
    before = ancestors(after)
    position = [0] * len(after)
    for k, i in enumerate(lay.order):
        position[i] = k
    chains = [_chain(lay, i, after[i], position) for i in range(len(after))]
    task_delays = []
    for i, chain in enumerate(chains):
        for j in after[i]:
            between = after[i] & before[j]
            delay = lay.durations[i] + _energy_delay(lay, between, highest)
            if delay > chain.get(j, 0):
                task_delays.append((i, j, delay))
    goal_delays = []
    for g, need in enumerate(_needs(lay)):
        for i in need:
            tail = after[i] & need
            ends = [lay.durations[i]] + [chains[i].get(j, 0) + lay.durations[j] for j in tail]
            delay = lay.durations[i] + _energy_delay(lay, tail, highest)
            if delay > max(ends):
                goal_delays.append((i, g, delay))
    return Delays(task_delays, goal_delays)


def heads_tails(lay: Layout) -> tuple[list[int], list[int]]:
    """Per task: (head) no plan starts it sooner, (tail) no plan ends sooner after it starts. Critical paths,
    lifted per resource r: the predecessors (successors) using r need ceil(work / capacity) periods, from the
    earliest head among them (until the smallest tail after them)."""
    after = closure(lay)
    before = ancestors(after)
    highest = peaks(lay)
    users = [[k for k in range(len(after)) if lay.durations[k] > 0 and any(r == q for q, _ in lay.demands[k])]
             for r in range(len(highest))]  # fmt: skip
    work = [{k: lay.durations[k] * a for k in range(len(after)) for q, a in lay.demands[k] if q == r}
            for r in range(len(highest))]  # fmt: skip
    dur = lay.durations
    tail = [0] * len(dur)
    for i in reversed(lay.order):
        best = max((tail[j] for j in lay.successors[i]), default=0)
        for r, peak in enumerate(highest):
            them = [j for j in users[r] if j in after[i]]
            if them and peak > 0:
                best = max(best, -(-sum(work[r][j] for j in them) // peak) + min(tail[j] - dur[j] for j in them))
        tail[i] = dur[i] + best
    head = [0] * len(dur)
    for i in lay.order:
        best = max((head[p] + dur[p] for p in lay.predecessors[i]), default=0)
        for r, peak in enumerate(highest):
            them = [p for p in users[r] if p in before[i]]
            if them and peak > 0:
                best = max(best, min(head[p] for p in them) + -(-sum(work[r][p] for p in them) // peak))
        head[i] = best
    return head, tail
