"""A synthetic displaced-household registry that matches published aggregates exactly.

Real registries are personal data and never leave the registry office, so demos and load tests use this one.
Every record it makes says `synthetic=True`, its code starts with `SYN-` and its head's name with
"(synthetic)". Same inputs and seed, same registry.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from itertools import accumulate
from typing import Any

from homecoming.errors import RuleViolation

MAX_SIZE = 12
# Share of households by size 1..12: a typical South Caucasus profile (mean about 4), before the sizes are
# nudged so that the registry's people add up to the published total exactly.
SIZE_WEIGHTS = (8.0, 13.0, 18.0, 24.0, 19.0, 10.0, 4.5, 2.0, 0.8, 0.4, 0.2, 0.1)
GIVEN_NAMES = (
    "Aydan", "Elvin", "Gunel", "Ilkin", "Kamran", "Leyla", "Murad", "Nigar", "Orkhan", "Rashad",
    "Sabina", "Tural", "Ulviyya", "Vugar", "Zaur", "Aysel", "Farid", "Jamila", "Nurlan", "Samira",
)  # fmt: skip
FAMILY_NAMES = (
    "Aliyeva", "Babayev", "Guliyev", "Hasanova", "Ismayilov", "Jafarova", "Karimov", "Mammadova",
    "Najafov", "Quliyeva", "Rzayev", "Safarova", "Talibov", "Valiyeva", "Yusifov", "Zeynalova",
)  # fmt: skip
REGISTERED_FROM = dt.date(2021, 1, 15)
CONSENT_FROM = dt.date(2022, 11, 16)  # the programme's approval


def split_exactly(total: int, weights: Sequence[float]) -> list[int]:
    """Whole shares of `total` proportional to `weights` (largest remainder), summing to `total` exactly."""
    weight_sum = sum(weights)
    if total < 0 or not weights or weight_sum <= 0 or any(w < 0 for w in weights):
        raise RuleViolation("synthetic.bad_weights", "need a non-negative total and non-negative weights")
    quotas = [total * w / weight_sum for w in weights]
    shares = [int(q) for q in quotas]
    by_remainder = sorted(range(len(weights)), key=lambda i: (shares[i] - quotas[i], i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def household_sizes(families: int, people: int, rng: random.Random) -> list[int]:
    """`families` sizes in 1..12 drawn from the size profile, then nudged one person at a time to sum to `people`."""
    if not families <= people <= MAX_SIZE * families:
        raise RuleViolation(
            "synthetic.impossible_totals",
            f"{people:,} people cannot form {families:,} households of 1 to {MAX_SIZE} people",
            {"families": families, "people": people},
        )
    cumulative = list(accumulate(SIZE_WEIGHTS))
    sizes = rng.choices(range(1, MAX_SIZE + 1), cum_weights=cumulative, k=families)
    gap = people - sum(sizes)
    step, limit = (1, MAX_SIZE) if gap > 0 else (-1, 1)
    while gap:
        i = rng.randrange(families)
        if sizes[i] != limit:
            sizes[i] += step
            gap -= step
    return sizes


def generate_registry(
    origins: Sequence[tuple[str, float]], families: int, people: int, seed: int
) -> Iterator[dict[str, Any]]:
    """Rows of the households file: `families` households of `people` people over the weighted origin settlements."""
    if not origins:
        raise RuleViolation("synthetic.no_origins", "no settlement to come from: load the territory first")
    rng = random.Random(seed)
    per_origin = split_exactly(families, [weight for _, weight in origins])
    sizes = household_sizes(families, people, rng)
    rng.shuffle(sizes)
    number = 0
    for (origin, _), count in zip(origins, per_origin, strict=True):
        for _ in range(count):
            yield _household(number, origin, sizes[number], rng)
            number += 1


def _household(number: int, origin: str, size: int, rng: random.Random) -> dict[str, Any]:
    children = rng.randint(0, size - 2) if size >= 3 else 0
    elderly = min(size - children, rng.choice((0, 0, 0, 1, 1, 2)))
    consent = rng.random() < 0.85
    registered_on = REGISTERED_FROM + dt.timedelta(days=rng.randrange(700))
    return {
        "code": f"SYN-{number + 1:07d}",
        "origin_settlement_code": origin,
        "head_name": f"(synthetic) {rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}",
        "size": size,
        "children": children,
        "elderly": elderly,
        "rooms_needed": min(5, max(1, (size + 1) // 2)),
        "disability": rng.random() < 0.05,
        "single_parent": children > 0 and rng.random() < 0.08,
        "chronic_illness": rng.random() < 0.10,
        "consent_to_return": consent,
        "consent_date": CONSENT_FROM + dt.timedelta(days=rng.randrange(900)) if consent else None,
        "phone": None,  # no invented contact details: a synthetic record must never reach a real person
        "current_address": None,
        "registered_on": registered_on,
        "returned_on": None,
        "synthetic": True,
    }
