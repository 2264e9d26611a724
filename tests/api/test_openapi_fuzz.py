"""Schemathesis drives every operation of the OpenAPI document in-process (ASGI, no server), as an admin and as the
public, with valid and invalid data: no request may end in a server error (5xx).

Bounded: a fixed number of examples per operation, generated deterministically, on SQLite (one engine is enough to
find a crash in a router; the engines' own differences are covered by the resource tests on both).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from api_support import Api
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from homecoming.accounts.roles import Role
from homecoming.jobs.worker import Worker  # a worker beside the app, as `serve` runs one: /readyz is then 200

EXAMPLES = {GenerationMode.POSITIVE: 6, GenerationMode.NEGATIVE: 3}  # per operation, mode and caller
SLOW = {"POST /api/auth/token": 2}  # argon2 on every try, on purpose: a few examples are enough


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "homecoming.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def _server_errors(api: Api, headers: dict[str, str], share: float = 1.0) -> list[str]:
    """Every operation with every mode; the failures of all of them, not only the first."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", api.client.app)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode, examples in EXAMPLES.items():
            try:
                _fuzz(operation.as_strategy(generation_mode=mode), _examples(operation.label, examples, share), headers)
            except Unsatisfiable:
                continue  # nothing in it can be made invalid (no parameters, no body)
            except Exception as exc:  # the check's failure, with the request that caused it
                failures.append(f"{operation.label} ({mode.value}): {str(exc).strip()[:2000]}")
    return failures


def _examples(label: str, examples: int, share: float) -> int:
    return max(1, round(SLOW.get(label, examples) * share))


def _fuzz(strategy: Any, examples: int, headers: dict[str, str]) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error])

    run()


def test_no_operation_gives_a_server_error_to_an_admin(api: Api, job_worker: Worker) -> None:
    failures = _server_errors(api, api.as_(Role.ADMIN))
    assert not failures, "\n\n".join(failures)


def test_no_operation_gives_a_server_error_to_the_public(api: Api, job_worker: Worker) -> None:
    failures = _server_errors(api, {}, share=0.5)  # most answers are 401: fewer examples find what there is
    assert not failures, "\n\n".join(failures)
