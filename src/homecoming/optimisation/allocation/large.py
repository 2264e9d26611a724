"""Large problems: the Lagrangian bound (lagrange.py) steering the per-settlement sweep (sweep.py)."""

from __future__ import annotations

import time
from collections import defaultdict
from operator import attrgetter

import numpy as np

from homecoming.optimisation.allocation import improve, lagrange, lp, refine, timefree
from homecoming.optimisation.allocation.model import (
    Household,
    Placement,
    Problem,
    never_opens,
    placement_cost,
    unplaced_cost,
)
from homecoming.optimisation.allocation.sweep import housing_by_settlement, sweep_settlement

ClassKey = tuple[int, int, tuple[int, ...], int, int, int]
# Seconds per household the settlement-by-settlement exact re-solve takes (refine.py; national shape, 2 cores:
# 2.7 s at 35,000 and 28 s at 350,000 households), kept for it when the time is limited.
REFINE_SECONDS = 80e-6
PLAN_SECONDS = 40e-6  # per household: the first sweep's plan (national shape, 350,000 households: 10-20 s here)
Plan = tuple[int, list[Placement], list[str]]


def _classes(problem: Problem) -> tuple[list[ClassKey], list[list[Household]]]:
    index = {s.id: i for i, s in enumerate(problem.settlements)}
    places: dict[tuple[str, tuple[str, ...]], tuple[int, tuple[int, ...]]] = {}  # a few hundred (origin, accepts)
    groups: dict[ClassKey, list[Household]] = defaultdict(list)
    for h in sorted(problem.households, key=attrgetter("id")):
        place = places.get((h.origin, h.accepts))
        if place is None:
            allowed = tuple(dict.fromkeys([index[h.origin], *(index[a] for a in h.accepts)]))
            place = places[(h.origin, h.accepts)] = (index[h.origin], allowed)
        groups[(place[0], h.size, place[1], h.rooms_needed, h.priority, h.available)].append(h)
    keys = sorted(groups)
    return keys, [groups[k] for k in keys]


def _split(
    members: list[list[Household]], rel: lagrange.Relaxation, choice: np.ndarray, taken: np.ndarray | None
) -> tuple[dict[int, list[Household]], list[str]]:
    """Households per target settlement: a class's `choice`, or split in proportion to `taken` per entry. The
    fractions left by rounding carry over to the next class of the same origin, alternatives, size and rooms needed
    (classes that differ only in priority or availability), so that small classes are not all rounded the same way."""
    targets: dict[int, list[Household]] = defaultdict(list)
    unplaced: list[str] = []
    carry: dict[tuple[str, tuple[str, ...], int, int, int], float] = defaultdict(float)
    starts = np.searchsorted(rel.entry_class, np.arange(len(members) + 1))
    for c, group in enumerate(members):
        e = int(choice[c])
        if e < 0:
            unplaced.extend(h.id for h in group)
            continue
        entries = range(int(starts[c]), int(starts[c + 1]))
        if taken is None or len(entries) < 2 or not group or taken[entries.start : entries.stop].sum() <= 0:
            targets[int(rel.entry_settlement[e])].extend(group)
            continue
        total = float(taken[entries.start : entries.stop].sum())
        h = group[0]
        position = 0
        for k in entries:
            if k == e:
                continue
            key = (h.origin, h.accepts, h.size, h.rooms_needed, int(rel.entry_settlement[k]))
            want = float(taken[k]) / total * len(group) + carry[key]
            n = max(0, min(len(group) - position, int(np.floor(want + 1e-9))))
            carry[key] = want - n
            targets[int(rel.entry_settlement[k])].extend(group[position : position + n])
            position += n
        targets[int(rel.entry_settlement[e])].extend(group[position:])
    return targets, unplaced


def lp_split(
    problem: Problem, rel: lagrange.Relaxation, keys: list[ClassKey], lp: timefree.TimeFree
) -> tuple[np.ndarray, np.ndarray] | None:
    """Where the time-free LP sends each class: per entry, the households of its coarse class (origin,
    alternatives, size, rooms needed) the LP places in that entry's settlement, and per class the entry it sends
    most to (the origin's, or the first possible alternative's, when it places none); None without LP shares."""
    if not lp.shares:
        return None
    ids = [s.id for s in problem.settlements]
    taken = np.zeros(len(rel.entry_class))
    for e in range(len(rel.entry_class)):
        origin, size, allowed, rooms, _, _ = keys[int(rel.entry_class[e])]
        coarse = (ids[origin], tuple(ids[a] for a in allowed[1:]), size, rooms)
        taken[e] = lp.shares.get(coarse, {}).get(ids[int(rel.entry_settlement[e])], 0.0)
    choice = _origin_first(rel, keys)
    starts = np.searchsorted(rel.entry_class, np.arange(len(keys) + 1))
    for c in range(len(keys)):
        a, b = int(starts[c]), int(starts[c + 1])
        if b > a and taken[a:b].max() > 0:
            choice[c] = a + int(np.argmax(taken[a:b]))
    return choice, taken


def _assign(
    problem: Problem,
    members: list[list[Household]],
    rel: lagrange.Relaxation,
    choice: np.ndarray,
    taken: np.ndarray | None = None,
    gates: dict[int, dict[int, float]] | None = None,
    deadline: float | None = None,
) -> tuple[list[Placement], list[str]] | None:
    """Send each class to its chosen settlements, rebalance, and sweep every settlement (filling `gates`: per
    settlement, the periods whose convoy places ran out and the weight a place was worth); None as soon as a
    settlement would start after `deadline`."""
    targets, unplaced = _split(members, rel, choice, taken)
    targets = improve.rebalance(problem, targets)
    placements: list[Placement] = []
    houses = housing_by_settlement(problem)
    for s, people in sorted(targets.items()):
        if deadline is not None and time.perf_counter() > deadline:
            return None
        site = problem.settlements[s]
        full = None if gates is None else gates.setdefault(s, {})
        placed, left = sweep_settlement(
            problem, site.id, int(rel.opens[s]), site.convoy_households, people, houses.get(site.id, []), full
        )
        placements.extend(placed)
        unplaced.extend(h.id for h in left)
    return placements, unplaced


def _cost(problem: Problem, placements: list[Placement], unplaced: list[str]) -> int:
    by_id = {h.id: h for h in problem.households}
    total = sum(placement_cost(problem, by_id[p.household], p.settlement, p.rooms, p.period) for p in placements)
    return total + sum(unplaced_cost(problem, by_id[u]) for u in unplaced)


def _origin_first(rel: lagrange.Relaxation, keys: list[ClassKey]) -> np.ndarray:
    """Each class's entry into its origin when it has one, else into its first possible alternative."""
    choice = np.full(len(keys), -1, dtype=np.int64)
    for e in range(len(rel.entry_class) - 1, -1, -1):
        c = int(rel.entry_class[e])
        if choice[c] < 0 or int(rel.entry_settlement[e]) == keys[c][0]:
            choice[c] = e
    return choice


def _second_chance(
    problem: Problem, placements: list[Placement], unplaced: list[str], until: float | None = None
) -> tuple[list[Placement], list[str]]:
    """Households the sweep left out try their alternatives: those settlements are swept again with them, the one
    receiving most first, until `until` (a settlement not reached keeps its plan; who was sent there stays out)."""
    by_id = {h.id: h for h in problem.households}
    index = {s.id: i for i, s in enumerate(problem.settlements)}
    per_site: dict[str, list[Household]] = defaultdict(list)
    for x in placements:
        per_site[x.settlement].append(by_id[x.household])
    sent: dict[str, list[str]] = defaultdict(list)
    still: list[str] = []
    for u in unplaced:
        h = by_id[u]
        options = [
            a for a in h.accepts if a != h.origin and not never_opens(problem.settlements[index[a]], problem.periods)
        ]
        if not options:
            still.append(u)
            continue
        target = min(options, key=lambda a: (len(per_site[a]), a))
        per_site[target].append(h)
        sent[target].append(u)
    houses = housing_by_settlement(problem)
    done: set[str] = set()
    swept: list[Placement] = []
    for site_id in sorted(sent, key=lambda s: (-len(sent[s]), s)):
        if until is not None and time.perf_counter() > until:
            still.extend(sent[site_id])
            continue
        site = problem.settlements[index[site_id]]
        placed, left = sweep_settlement(
            problem, site_id, site.opens or 0, site.convoy_households, per_site[site_id], houses.get(site_id, [])
        )
        done.add(site_id)
        swept.extend(placed)
        still.extend(h.id for h in left)
    return [x for x in placements if x.settlement not in done] + swept, still


def _plan(
    problem: Problem,
    members: list[list[Household]],
    rel: lagrange.Relaxation,
    choice: np.ndarray,
    taken: np.ndarray | None = None,
    deadline: float | None = None,
    gates: dict[int, dict[int, float]] | None = None,
    extras_until: float | None = None,
) -> Plan | None:
    """A complete plan; with a `deadline`, None as soon as it is passed. The first plan has none (it must exist) but
    stops its second chance and gap filling at `extras_until`: under load they cost it more wall time than the
    command had (national 350,000, load 9: 25 s of 35), and the time limit covers the whole command."""
    assigned = _assign(problem, members, rel, choice, taken, gates, deadline)
    if assigned is None or (deadline is not None and time.perf_counter() > deadline):
        return None
    placements, unplaced = assigned
    until = extras_until if deadline is None else deadline
    if unplaced:
        placements, unplaced = _second_chance(problem, placements, unplaced, until)
    if deadline is not None and time.perf_counter() > deadline:
        return None
    placements, unplaced = improve.fill_gaps(problem, placements, unplaced, until)
    return _cost(problem, placements, unplaced), placements, unplaced


def place_prices(rel: lagrange.Relaxation, gates: dict[int, dict[int, float]], wait: int) -> np.ndarray:
    """Starting prices of convoy places from the first sweep: through a run of full periods, a place in period t is
    worth one more period of waiting for the heaviest household left waiting at t, plus the place after it (the
    dual of serving the heaviest first). Any prices >= 0 give a valid bound; these start the subgradient near
    the right ones instead of at zero, which a large problem's few iterations never leave far behind."""
    lam = np.zeros((len(rel.cap), rel.periods))
    for s, full in gates.items():
        later = 0.0
        for t in range(rel.periods - 1, -1, -1):
            later = later + wait * full[t] if t in full else 0.0
            lam[s, t] = later
    return lam


def house_prices(problem: Problem, rel: lagrange.Relaxation, placements: list[Placement]) -> np.ndarray:
    """Starting prices of houses from the first sweep, per settlement and room count, latest batch first: a batch
    used up before the next one was ready is worth the next batch's price plus the wait between them for the
    heaviest household the next batch housed (or the lightest this one housed, if less: the dual of housing the
    heaviest first); a batch with houses left is worth nothing."""
    by_id = {h.id: h for h in problem.households}
    # count, last period, heaviest, lightest household housed
    used: dict[tuple[str, int, int], list[int]] = defaultdict(lambda: [0, -1, 0, 1 << 60])
    for p in placements:
        h = by_id[p.household]
        entry = used[(p.settlement, p.rooms, p.ready)]
        weight = h.size * problem.weights.wait * (1 + h.priority)
        entry[0] += 1
        entry[1] = max(entry[1], p.period)
        entry[2] = max(entry[2], weight)
        entry[3] = min(entry[3], weight)
    ids = [s.id for s in problem.settlements]
    levels: dict[tuple[int, int], list[int]] = defaultdict(list)
    for k in range(len(rel.batch_n)):
        levels[(int(rel.batch_s[k]), int(rel.batch_r[k]))].append(k)
    mu = np.zeros(len(rel.batch_n))
    for (s, rooms), batches in levels.items():
        batches.sort(key=lambda k: int(rel.batch_ready[k]))
        later, later_ready, later_heaviest = 0.0, -1, 0
        for k in reversed(batches):
            ready = int(rel.batch_ready[k])
            count, last, heaviest, lightest = used.get((ids[s], rooms, ready), (0, -1, 0, 0))
            total = sum(rel.batch_n[j] for j in batches if int(rel.batch_ready[j]) == ready)
            if count < total or later_ready < 0:
                mu[k] = 0.0
            elif last < later_ready:
                mu[k] = later + min(later_heaviest, lightest) * max(0, later_ready - max(last, ready))
            else:
                mu[k] = later
            later, later_ready, later_heaviest = float(mu[k]), ready, heaviest
    return mu


def lp_prices(problem: Problem, rel: lagrange.Relaxation, lp: timefree.TimeFree) -> tuple[np.ndarray, np.ndarray]:
    """The time-free LP's duals as Lagrangian prices: its convoy price on every open period of a settlement, its
    house price on every batch of that settlement and room count (a value at least the LP bound, timefree.py)."""
    ids = [s.id for s in problem.settlements]
    lam = np.array([lp.convoy_price.get(s, 0.0) for s in ids])[:, None] * np.ones(rel.periods)[None, :]
    lam = np.where(np.arange(rel.periods)[None, :] >= rel.opens[:, None], lam, 0.0)
    mu = np.array(
        [lp.house_price.get((ids[int(s)], int(r)), 0.0) for s, r in zip(rel.batch_s, rel.batch_r, strict=True)]
    )
    return lam, mu


def _start(
    problem: Problem,
    rel: lagrange.Relaxation,
    first: Plan,
    gates: dict[int, dict[int, float]],
    lp: timefree.TimeFree,
    deadline: float,
) -> tuple[np.ndarray, np.ndarray, int]:
    """The better start of the subgradient: prices read off the first sweep, or the time-free LP's duals (at once,
    without comparing, past `deadline`); and the time-free LP's bound."""
    has_duals = bool(lp.house_price or lp.convoy_price)
    if has_duals and time.perf_counter() > deadline:
        return *lp_prices(problem, rel, lp), lp.bound
    sweep = place_prices(rel, gates, problem.weights.wait), house_prices(problem, rel, first[1])
    if not has_duals:
        return sweep[0], sweep[1], lp.bound
    dual = lp_prices(problem, rel, lp)
    extra = problem.weights.extra_room
    if lagrange.evaluate(rel, *dual, extra).value >= lagrange.evaluate(rel, *sweep, extra).value:
        return dual[0], dual[1], lp.bound
    return sweep[0], sweep[1], lp.bound


def solve_large(
    problem: Problem, *, deadline: float, exact: refine.Exact | None = None, time_free: timefree.TimeFree | None = None
) -> tuple[list[Placement], list[str], int]:
    """An allocation and a lower bound on every allocation's cost.

    First the time-free LP (timefree.py) gives a bound and starting prices, in the time the first plan leaves, and
    every household is sent home (or to its first possible alternative); then, keeping REFINE_SECONDS per household
    for the last step, the Lagrangian bound is improved from the better of those prices and the sweep's,
    and its relaxed choices, averaged over the last iterations, split each class over its settlements for a second
    plan, kept when it costs less and finished in time. Last, `exact` re-solves the best plan settlement by
    settlement until the deadline (refine.py). Zero prices always give a bound, even past the deadline. `time_free`:
    the problem's time-free LP when the caller has solved it already.
    """
    keys, members = _classes(problem)
    rel = lagrange.relaxation(problem, keys, [len(m) for m in members])
    origin_first = _origin_first(rel, keys)
    gates: dict[int, dict[int, float]] = {}
    # the bound first (the plan always comes, however late): its time is what the first plan does not need
    lp_bound = (
        time_free
        if time_free is not None and time_free.bound > 0
        else timefree.timefree(problem, deadline=deadline - PLAN_SECONDS * len(problem.households))
    )
    planning = time.perf_counter()
    by_lp = lp_split(problem, rel, keys, lp_bound)
    first_choice, first_taken = by_lp if by_lp is not None else (origin_first, None)
    first = _plan(problem, members, rel, first_choice, first_taken, gates=gates, extras_until=deadline)
    assert first is not None  # no deadline: always complete
    best = first
    plan_seconds = time.perf_counter() - planning
    extra = problem.weights.extra_room
    lam, mu, floor = _start(problem, rel, first, gates, lp_bound, deadline)
    before_refine = deadline - (REFINE_SECONDS * len(problem.households) if exact is not None else 0.0)
    room_for_second = before_refine - time.perf_counter() > 1.6 * plan_seconds
    until = before_refine - 1.2 * plan_seconds if room_for_second else before_refine
    bound, lam, mu, taken = lagrange.maximise(
        rel, extra, float(best[0]), iterations=100000, deadline=until, start=lam, start_mu=mu
    )
    if room_for_second and time.perf_counter() + plan_seconds < before_refine:
        steered = _plan(problem, members, rel, origin_first, taken, before_refine)
        if steered is not None and steered[0] < best[0]:
            best = steered
    placements, unplaced = best[1], best[2]
    if exact is not None:
        prices = lp.Prices()
        placements, unplaced = refine.refine(problem, placements, unplaced, exact, deadline, prices)
        lam, mu = settlement_prices(problem, rel, prices, lam, mu)
        bound = max(bound, lagrange.evaluate(rel, lam, mu, extra).value)
    return placements, unplaced, max(floor, int(np.ceil(bound - 1e-6 * max(1.0, abs(bound)))))


def settlement_prices(
    problem: Problem, rel: lagrange.Relaxation, prices: lp.Prices, lam: np.ndarray, mu: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Lagrangian prices taken from the settlements' own LPs where refine.py solved them, else kept. Within one
    settlement and its households they are the LP's optimal duals; whoever may go elsewhere is priced by the other
    settlements' LPs, so together they are near the whole LP's duals, and like any prices >= 0 they give a bound."""
    ids = [s.id for s in problem.settlements]
    lam, mu = lam.copy(), mu.copy()
    solved = {s for s, _ in prices.convoy} | {s for s, _, _ in prices.house}
    limited = (rel.cap < lagrange.INF)[:, None] & (np.arange(rel.periods)[None, :] >= rel.opens[:, None])
    for s, site in enumerate(ids):
        if site in solved:
            lam[s] = [prices.convoy.get((site, t), 0.0) if limited[s, t] else 0.0 for t in range(rel.periods)]
    for k in range(len(rel.batch_n)):
        site = ids[int(rel.batch_s[k])]
        if site in solved:
            mu[k] = prices.house.get((site, int(rel.batch_r[k]), int(rel.batch_ready[k])), 0.0)
    return lam, mu
