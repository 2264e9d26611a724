"""Small hand-checked problems shared by the sequencing tests (a module of its own name, so imports are unambiguous)."""

from __future__ import annotations

from typing import Any


def problem_dict(**changes: Any) -> dict[str, Any]:
    """Clearance -> houses for a big settlement, and a school for a small one, on one crew.

    Best plan (hand-checked): school at 0 (ends 1), clearance 0..1, houses 2..4 (ends 5):
    10 * 5 + 1 * 1 = 51. Putting the school after the houses gives 10 * 5 + 1 * 6 = 56.
    """
    data: dict[str, Any] = {
        "format": "homecoming-sequencing/1",
        "name": "two-settlements",
        "periods": 8,
        "resources": [{"id": "deminers", "capacity": 1}, {"id": "crews", "capacity": 1}],
        "tasks": [
            {"id": "big-clearance", "duration": 2, "demand": {"deminers": 1}, "successors": ["big-houses"]},
            {"id": "big-houses", "duration": 3, "demand": {"crews": 1}, "successors": []},
            {"id": "small-school", "duration": 1, "demand": {"crews": 1}, "successors": []},
        ],
        "goals": [
            {"id": "big", "weight": 10, "requires": ["big-houses"]},
            {"id": "small", "weight": 1, "requires": ["small-school"]},
        ],
    }
    data.update(changes)
    return data
