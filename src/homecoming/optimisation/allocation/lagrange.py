"""A lower bound for large problems: the Lagrangian relaxation of the convoy limits and the house counts.

With a price `lam[s, t] >= 0` on each arrival slot and `mu[b] >= 0` on each house of batch b, households no longer
compete, and each class simply takes its cheapest option:

    min(unplaced, min over s, t >= t0 of  w * (t - available) + not_origin + lam[s, t] + house[s, rooms_needed, t])

where `house[s, r, t]` is the cheapest (extra rooms + mu) batch of s with >= r rooms ready by t. For any prices,
    L(lam, mu) = sum of those minima - sum lam * convoy limit - sum mu * count
is a lower bound on every allocation's cost (weak duality), and its maximum is the LP bound. The minima are
computed for all classes at once with suffix minima over the periods of each (settlement, rooms_needed, w) chain,
so one evaluation costs a few milliseconds; prices are improved by projected subgradient steps (Polyak steps
towards the best known allocation's cost).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from homecoming.optimisation.allocation.model import Problem, never_opens

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
INF = 1e18
# Deflected subgradient, tuned on generated problems: the step shrinks by SHRINK after `patience` iterations
# without a better bound, where patience grows with the iterations the time allows (MIN..MAX_PATIENCE).
THETA, SHRINK, DEFLECT, MIN_PATIENCE, MAX_PATIENCE = 1.0, 0.8, 0.8, 5, 20
AVERAGE = 0.05  # weight of the latest choice in the moving average of the relaxed choices


@dataclass
class Relaxation:
    """The problem in arrays: settlements, batches, chains (s, r, w) and class entries into chains."""

    periods: int
    rooms: int  # largest room count
    cap: FloatArray  # (S,) convoy limit, INF when none
    opens: IntArray  # (S,) first open period, `periods` when never
    batch_s: IntArray
    batch_r: IntArray
    batch_t: IntArray  # first period the batch can be used (ready, or opening)
    batch_n: FloatArray
    batch_ready: IntArray
    chain_s: IntArray
    chain_r: IntArray
    chain_w: FloatArray
    entry_class: IntArray  # entries sorted by class
    entry_chain: IntArray
    entry_t0: IntArray
    entry_settlement: IntArray
    entry_offset: FloatArray  # -w * available + not_origin
    class_n: FloatArray
    class_unplaced: FloatArray


def relaxation(
    problem: Problem, classes: list[tuple[int, int, tuple[int, ...], int, int, int]], counts: list[int]
) -> Relaxation:
    """Arrays for `classes` given as (origin, size, allowed settlement indices, rooms_needed, priority, available)."""
    periods, weights = problem.periods, problem.weights
    index = {s.id: i for i, s in enumerate(problem.settlements)}
    opens = np.array([problem.periods if never_opens(s, periods) else s.opens or 0 for s in problem.settlements])
    cap = np.array([INF if s.convoy_households is None else float(s.convoy_households) for s in problem.settlements])
    live = [b for b in problem.housing if b.count > 0 and max(b.ready, int(opens[index[b.settlement]])) < periods]
    batch_s = np.array([index[b.settlement] for b in live], dtype=np.int64)
    chains: dict[tuple[int, int, int], int] = {}
    rows: list[tuple[int, int, int, int, float]] = []
    for c, (origin, size, allowed, rooms, priority, available) in enumerate(classes):
        w = size * weights.wait * (1 + priority)
        for s in allowed:
            t0 = max(available, int(opens[s]))
            if t0 >= periods:
                continue
            k = chains.setdefault((s, rooms, w), len(chains))
            rows.append((c, k, t0, s, -w * available + (size * weights.not_origin if s != origin else 0)))
    keys = list(chains)
    return Relaxation(
        periods=periods,
        rooms=max([b.rooms for b in live] + [c[3] for c in classes] + [1]),
        cap=cap,
        opens=opens,
        batch_s=batch_s,
        batch_r=np.array([b.rooms for b in live], dtype=np.int64),
        batch_t=np.array([max(b.ready, int(opens[index[b.settlement]])) for b in live], dtype=np.int64),
        batch_n=np.array([b.count for b in live], dtype=np.float64),
        batch_ready=np.array([b.ready for b in live], dtype=np.int64),
        chain_s=np.array([k[0] for k in keys], dtype=np.int64),
        chain_r=np.array([k[1] for k in keys], dtype=np.int64),
        chain_w=np.array([k[2] for k in keys], dtype=np.float64),
        entry_class=np.array([r[0] for r in rows], dtype=np.int64),
        entry_chain=np.array([r[1] for r in rows], dtype=np.int64),
        entry_t0=np.array([r[2] for r in rows], dtype=np.int64),
        entry_settlement=np.array([r[3] for r in rows], dtype=np.int64),
        entry_offset=np.array([r[4] for r in rows], dtype=np.float64),
        class_n=np.array(counts, dtype=np.float64),
        class_unplaced=np.array([size * weights.unplaced * periods for (_, size, *_rest) in classes], dtype=np.float64),
    )


@dataclass
class Evaluation:
    value: float
    slot_use: FloatArray  # (S, P) households the relaxed choice sends to each slot
    batch_use: FloatArray  # (B,)
    entry_choice: IntArray  # (C,) chosen entry per class, -1 for unplaced
    entry_period: IntArray  # (E,) best exit period of each entry


def _house_prices(rel: Relaxation, mu: FloatArray, extra: int) -> tuple[FloatArray, IntArray]:
    """Cheapest house price and its batch per (settlement, rooms_needed, period), ready by then."""
    n_s, periods = len(rel.cap), rel.periods
    price = np.full((n_s, rel.rooms + 1, periods), INF)
    which = np.full((n_s, rel.rooms + 1, periods), -1, dtype=np.int64)
    for r in range(1, rel.rooms + 1):
        fits = np.nonzero(rel.batch_r >= r)[0]
        value = extra * (rel.batch_r[fits] - r) + mu[fits]
        order = fits[np.argsort(-value, kind="stable")]
        ordered_value = extra * (rel.batch_r[order] - r) + mu[order]
        price[rel.batch_s[order], r, rel.batch_t[order]] = ordered_value  # the last (cheapest) write wins
        which[rel.batch_s[order], r, rel.batch_t[order]] = order
    for t in range(1, periods):
        better = price[:, :, t - 1] < price[:, :, t]
        price[:, :, t] = np.where(better, price[:, :, t - 1], price[:, :, t])
        which[:, :, t] = np.where(better, which[:, :, t - 1], which[:, :, t])
    return price, which


def _suffix_minima(rel: Relaxation, lam: FloatArray, price: FloatArray) -> tuple[FloatArray, IntArray]:
    """Per period and chain: the least exit cost from then on, and the period it is reached (period-major)."""
    periods = rel.periods
    t = np.arange(periods, dtype=np.float64)
    g = t[:, None] * rel.chain_w[None, :] + lam.T[:, rel.chain_s] + price[rel.chain_s, rel.chain_r].T
    best = np.empty_like(g)
    best_t = np.empty(g.shape, dtype=np.int64)
    best[-1], best_t[-1] = g[-1], periods - 1
    for k in range(periods - 2, -1, -1):
        take = g[k] <= best[k + 1]
        np.copyto(best[k], np.where(take, g[k], best[k + 1]))
        np.copyto(best_t[k], np.where(take, k, best_t[k + 1]))
    return best, best_t


def evaluate(rel: Relaxation, lam: FloatArray, mu: FloatArray, extra: int) -> Evaluation:
    periods = rel.periods
    price, which = _house_prices(rel, mu, extra)
    best, best_t = _suffix_minima(rel, lam, price)
    entry_value = best[rel.entry_t0, rel.entry_chain] + rel.entry_offset
    entry_period = best_t[rel.entry_t0, rel.entry_chain]
    class_best = rel.class_unplaced.copy()
    choice = np.full(len(rel.class_n), -1, dtype=np.int64)
    if len(entry_value):
        starts = np.flatnonzero(np.r_[True, rel.entry_class[1:] != rel.entry_class[:-1]])
        owners = rel.entry_class[starts]
        least = np.minimum.reduceat(entry_value, starts)
        at_least = entry_value == np.repeat(least, np.diff(np.r_[starts, len(entry_value)]))
        first = np.minimum.reduceat(np.where(at_least, np.arange(len(entry_value)), len(entry_value)), starts)
        improves = least < class_best[owners]
        choice[owners[improves]] = first[improves]
        class_best[owners[improves]] = least[improves]
    chosen = choice >= 0
    e = choice[chosen]
    n = rel.class_n[chosen]
    s, p = rel.entry_settlement[e], entry_period[e]
    slot_use = np.zeros((len(rel.cap), periods))
    np.add.at(slot_use, (s, p), n)
    batch_use = np.zeros(len(rel.batch_n))
    np.add.at(batch_use, which[s, rel.chain_r[rel.entry_chain[e]], p], n)
    finite = np.where(rel.cap < INF, rel.cap, 0.0)
    value = float(rel.class_n @ class_best - (lam * finite[:, None]).sum() - mu @ rel.batch_n)
    return Evaluation(value, slot_use, batch_use, choice, entry_period)


def maximise(
    rel: Relaxation,
    extra: int,
    upper: float,
    *,
    iterations: int,
    deadline: float,
    start: FloatArray | None = None,
    start_mu: FloatArray | None = None,
) -> tuple[float, FloatArray, FloatArray, FloatArray]:
    """Best bound found by projected subgradient from `start` (or zero prices), its prices, and the households
    each entry takes on average over the later iterations (a primal estimate, as in the volume algorithm)."""
    limited = (rel.cap < INF)[:, None] & (np.arange(rel.periods)[None, :] >= rel.opens[:, None])
    lam = np.zeros((len(rel.cap), rel.periods)) if start is None else np.where(limited, start, 0.0)
    mu = np.zeros(len(rel.batch_n)) if start_mu is None else start_mu.copy()
    best, best_lam, best_mu = -INF, lam, mu
    theta, stall = THETA, 0
    d_lam, d_mu = np.zeros_like(lam), np.zeros_like(mu)
    taken = np.zeros(len(rel.entry_class))
    patience = MIN_PATIENCE
    first = time.perf_counter()
    for k in range(iterations):
        if k == 3:
            affordable = (deadline - time.perf_counter()) / max(1e-6, (time.perf_counter() - first) / 3)
            patience = int(min(MAX_PATIENCE, max(MIN_PATIENCE, affordable / 60)))
        if k > 0 and time.perf_counter() > deadline:
            break  # the first evaluation always happens: zero prices already give a valid bound
        ev = evaluate(rel, lam, mu, extra)
        chosen = ev.entry_choice >= 0
        taken *= 1.0 - AVERAGE
        np.add.at(taken, ev.entry_choice[chosen], AVERAGE * rel.class_n[chosen])
        if ev.value > best + 1e-9:
            best, best_lam, best_mu, stall = ev.value, lam.copy(), mu.copy(), 0
        else:
            stall += 1
            if stall >= patience:
                theta, stall = theta * SHRINK, 0
                if theta < 1e-4:
                    break
        g_lam = np.where(limited, ev.slot_use - rel.cap[:, None], 0.0)
        g_lam = np.where((lam <= 0) & (g_lam < 0), 0.0, g_lam)
        g_mu = ev.batch_use - rel.batch_n
        g_mu = np.where((mu <= 0) & (g_mu < 0), 0.0, g_mu)
        d_lam = g_lam + DEFLECT * d_lam
        d_mu = g_mu + DEFLECT * d_mu
        g_lam, g_mu = d_lam, d_mu
        norm = float((g_lam**2).sum() + (g_mu**2).sum())
        if norm == 0 or upper - ev.value <= 1e-9 * max(1.0, abs(upper)):
            break
        step = theta * (upper - ev.value) / norm
        lam = np.maximum(0.0, lam + step * g_lam)
        mu = np.maximum(0.0, mu + step * g_mu)
    return best, best_lam, best_mu, taken
