"""`homecoming serve` hands the app to uvicorn on the chosen interface and port."""

from __future__ import annotations

from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from homecoming.cli.main import app


def test_serve_runs_uvicorn_on_the_given_port(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **kwargs: calls.append((target, kwargs)))
    result = CliRunner().invoke(app, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/" in result.output
    assert calls == [("homecoming.api.asgi:app", {"host": "127.0.0.1", "port": 8123, "reload": False})]
