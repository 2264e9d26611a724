"""Helpers shared by the API tests."""

from __future__ import annotations

from typing import Any

from fastapi.dependencies.models import Dependant

from homecoming.api.deps import Requires, public


def rules_of(dependant: Dependant) -> list[Any]:
    """The access rules (Requires instances or `public`) anywhere in a route's dependency tree."""
    found: list[Any] = []
    for sub in dependant.dependencies:
        if isinstance(sub.call, Requires) or sub.call is public:
            found.append(sub.call)
        found.extend(rules_of(sub))
    return found
