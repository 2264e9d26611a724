from __future__ import annotations

from collections import Counter

import pytest

from homecoming.errors import RuleViolation
from homecoming.households.synthetic import generate_registry, split_exactly

ORIGINS = [("aghdam", 37_700.0), ("shusha", 24_000.0), ("zabukh", 1_900.0)]


def test_the_registry_matches_the_aggregates_exactly() -> None:
    rows = list(generate_registry(ORIGINS, 34_500, 140_000, seed=7))
    assert len(rows) == 34_500
    assert sum(r["size"] for r in rows) == 140_000
    assert len({r["code"] for r in rows}) == 34_500
    assert all(1 <= r["size"] <= 12 and r["children"] + r["elderly"] <= r["size"] for r in rows)
    assert all(r["synthetic"] and r["head_name"].startswith("(synthetic)") for r in rows)
    per_origin = Counter(r["origin_settlement_code"] for r in rows)
    expected = split_exactly(34_500, [w for _, w in ORIGINS])
    assert per_origin == {code: n for (code, _), n in zip(ORIGINS, expected, strict=True)}
    sizes = Counter(r["size"] for r in rows)
    assert sizes.most_common(1)[0][0] == 4  # the profile's mode survives the nudging to the exact total


def test_same_seed_same_registry_other_seed_other_registry() -> None:
    first = list(generate_registry(ORIGINS, 500, 2_000, seed=1))
    assert first == list(generate_registry(ORIGINS, 500, 2_000, seed=1))
    assert first != list(generate_registry(ORIGINS, 500, 2_000, seed=2))


def test_largest_remainder_split_sums_to_the_total() -> None:
    assert split_exactly(10, [1, 1, 1]) == [4, 3, 3]
    # quotas 3.5, 1.75, 1.75: the two largest remainders get the two spare households
    assert split_exactly(7, [0.5, 0.25, 0.25]) == [3, 2, 2]


def test_impossible_totals_are_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        list(generate_registry(ORIGINS, 10, 200, seed=1))
    assert caught.value.code == "synthetic.impossible_totals"
