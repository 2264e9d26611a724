"""The `registry` fixture: the one-village registry of job_support, on each engine."""

from __future__ import annotations

import pytest
from job_support import seed
from sqlalchemy import Engine


@pytest.fixture
def registry(engine: Engine) -> Engine:
    return seed(engine)
