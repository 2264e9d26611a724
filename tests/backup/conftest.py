"""The backup tests run the real command against the `database_url` database and a files folder of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from homecoming.config import get_settings


@pytest.fixture
def files_dir(tmp_path: Path) -> Path:
    return tmp_path / "files"


@pytest.fixture
def configured(cli_database: str, files_dir: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The command line's database (each engine) and a files folder of the test's own; yields the database URL."""
    monkeypatch.setenv("HOMECOMING_FILES_DIR", str(files_dir))
    get_settings.cache_clear()
    return cli_database
