"""Doors run no queries of their own: every figure a page, an API route or a CLI command shows comes from a
domain's read model or use-case.

A door module (homecoming.web, homecoming.api.routers, homecoming.cli) may type a session or an engine and catch the
database's errors, but never builds a query nor runs one on a session."""

from __future__ import annotations

import ast
from pathlib import Path

import homecoming

PACKAGE = Path(homecoming.__file__).parent
DOORS = ("web", "api/routers", "cli")
ALLOWED_FROM_SQLALCHEMY = {
    "sqlalchemy": {"Engine"},
    "sqlalchemy.orm": {"Session"},
    "sqlalchemy.exc": None,
    "sqlalchemy.orm.exc": None,
}
SESSION_CALLS = {"execute", "scalar", "scalars", "get", "get_one", "query", "add", "delete", "merge", "flush"}
SESSION_NAMES = {"session", "s", "db"}
QUERY_HELPERS = {"homecoming.db.crud", "homecoming.planning.results"}


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        where = f"{path.name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            found += [f"{where} imports {a.name}" for a in node.names if a.name.split(".")[0] == "sqlalchemy"]
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            if node.module.split(".")[0] == "sqlalchemy":
                allowed = ALLOWED_FROM_SQLALCHEMY.get(node.module, set())
                names = {a.name for a in node.names}
                if allowed is not None and not names <= allowed:
                    found.append(f"{where} imports {sorted(names - allowed)} from {node.module}")
            if node.module in QUERY_HELPERS:
                found.append(f"{where} imports query helpers from {node.module}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            if isinstance(receiver, ast.Name) and receiver.id in SESSION_NAMES and node.func.attr in SESSION_CALLS:
                found.append(f"{where} calls {receiver.id}.{node.func.attr}()")
    return found


def _modules(door: str) -> list[Path]:
    return sorted(p for p in (PACKAGE / door).glob("*.py"))


def test_no_page_module_runs_a_query_of_its_own() -> None:
    modules = _modules("web")
    assert len(modules) > 10
    assert [problem for path in modules for problem in _problems(path)] == []


def test_no_api_router_nor_cli_command_runs_a_query_of_its_own() -> None:
    routers, commands = _modules("api/routers"), _modules("cli")
    assert len(routers) > 10 and len(commands) > 10
    assert [problem for path in routers + commands for problem in _problems(path)] == []


def test_the_check_sees_a_query_when_there_is_one(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text(
        "from sqlalchemy import select\nfrom homecoming.db.crud import get_by_code\n"
        "def f(session):\n    return session.scalars(select(X)), session.get_one(X, 1)\n"
    )
    assert _problems(page) == [
        "page.py:1 imports ['select'] from sqlalchemy",
        "page.py:2 imports query helpers from homecoming.db.crud",
        "page.py:4 calls session.scalars()",
        "page.py:4 calls session.get_one()",
    ]
