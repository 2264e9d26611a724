"""Fixtures shared by the sequencing tests."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parents[2] / "data" / "psplib"


@pytest.fixture
def psplib() -> Path:
    return DATA
