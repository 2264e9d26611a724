"""Turning command-line input into a service's Pydantic schema, with a readable refusal instead of a traceback."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from homecoming.errors import RuleViolation

M = TypeVar("M", bound=BaseModel)


def build(model: type[M], error_code: str, /, **fields: Any) -> M:
    """`model(**fields)`, or a RuleViolation `error_code` listing every field that is wrong and why."""
    try:
        return model(**fields)
    except ValidationError as exc:
        problems = [
            {"row": "-", "column": ".".join(str(p) for p in error["loc"]) or "(input)", "reason": error["msg"]}
            for error in exc.errors()
        ]
        first = problems[0]
        raise RuleViolation(
            error_code,
            f"{len(problems)} problem(s) in the input; first: {first['column']}: {first['reason']}",
            {"errors": problems, "error_count": len(problems)},
        ) from None
