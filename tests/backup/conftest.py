"""The backup tests run the real command against the `database_url` database and a files folder of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from homecoming.config import get_settings
from homecoming.db import session as db_session


@pytest.fixture
def files_dir(tmp_path: Path) -> Path:
    return tmp_path / "files"


@pytest.fixture
def configured(database_url: str, files_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """HOMECOMING_DATABASE_URL and HOMECOMING_FILES_DIR set for the command; yields the database URL."""
    monkeypatch.setenv("HOMECOMING_DATABASE_URL", database_url)
    monkeypatch.setenv("HOMECOMING_FILES_DIR", str(files_dir))
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()
    yield database_url
    db_session.get_engine(database_url).dispose()
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()
