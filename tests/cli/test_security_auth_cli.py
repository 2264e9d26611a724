"""Issue 16, items 1, 8 and 9 at the command line: `homecoming admin deactivate|password|revoke|unlock` end what an
account holds at once (both engines), and `homecoming serve` will not put a guessable key on the network."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import homecoming
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry
from homecoming.cli.main import app as cli
from homecoming.config import Settings
from homecoming.errors import RuleViolation
from homecoming.secret_key import read_or_create
from homecoming.server.app import create_app

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "a-brand-new-password"


@pytest.fixture
def site(cli_database: str) -> Iterator[TestClient]:
    """An admin and a viewer on each engine, the app serving that database, the command line on it too."""
    with Session(create_engine(cli_database)) as session:
        hashed = PasswordHasher().hash(PASSWORD)
        for role in (Role.ADMIN, Role.VIEWER):
            session.add(User(username=role.value, password_hash=hashed, role=role, active=True))
        session.commit()
    with TestClient(create_app(Settings(database_url=cli_database, secret_key="test-secret"))) as client:
        yield client
        client.app.state.engine.dispose()  # type: ignore[attr-defined]


def holdings(client: TestClient) -> tuple[TestClient, str]:
    """The viewer logged in twice: a page session (the client's cookie) and a bearer token."""
    assert client.post("/login", data={"username": "viewer", "password": PASSWORD}).status_code == 200
    token = client.post("/api/auth/token", json={"username": "viewer", "password": PASSWORD}).json()["token"]
    assert client.get("/api/auth/me").status_code == 200
    assert client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    return client, token


def works(client: TestClient, token: str) -> tuple[int, int]:
    return (
        client.get("/api/auth/me").status_code,
        client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code,
    )


def admin(*args: str, input: str | None = None) -> str:
    result = CliRunner().invoke(cli, ["--as", "admin", "admin", *args], input=input,
                                env={"HOMECOMING_NEW_PASSWORD": ""})  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.output


def trail(database: str) -> list[tuple[str, str, str]]:
    with Session(create_engine(database)) as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.username.split(":")[0], e.action, e.record_code) for e in rows]


def test_admin_deactivate_stops_the_sessions_and_tokens_of_an_account(site: TestClient, cli_database: str) -> None:
    client, token = holdings(site)
    assert "deactivated viewer" in admin("deactivate", "viewer", "--comment", "left the programme")
    assert works(client, token) == (401, 401)
    refused = client.post("/api/auth/token", json={"username": "viewer", "password": PASSWORD})
    assert refused.status_code == 401
    assert trail(cli_database) == [("admin", "deactivate", "viewer")]  # the --as account (issue 17)


def test_admin_revoke_ends_every_session_and_token_but_the_account_logs_in_again(
    site: TestClient, cli_database: str
) -> None:
    client, token = holdings(site)
    admin("revoke", "viewer")
    assert works(client, token) == (401, 401)
    assert client.post("/api/auth/token", json={"username": "viewer", "password": PASSWORD}).status_code == 200
    with Session(create_engine(cli_database)) as session:
        entry = session.scalars(select(AuditEntry)).one()
    assert entry.after == {"sessions_revoked": 1, "tokens_revoked": 1}


def test_admin_password_is_read_from_a_prompt_never_the_command_line(site: TestClient, cli_database: str) -> None:
    client, token = holdings(site)
    on_argv = CliRunner().invoke(cli, ["admin", "password", "viewer", "--password", NEW_PASSWORD])
    assert on_argv.exit_code == 2  # no such option
    short = CliRunner().invoke(cli, ["admin", "password", "viewer"], input="short\nshort\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    assert works(client, token) == (200, 200)
    admin("password", "viewer", input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert works(client, token) == (401, 401)
    old = client.post("/api/auth/token", json={"username": "viewer", "password": PASSWORD})
    assert old.status_code == 401
    new = client.post("/api/auth/token", json={"username": "viewer", "password": NEW_PASSWORD})
    assert new.status_code == 200
    with Session(create_engine(cli_database)) as session:
        entry = session.scalars(select(AuditEntry)).one()
    assert NEW_PASSWORD not in str(entry.after) and entry.action == "password"


def test_admin_unlock_lets_a_locked_account_log_in_again(site: TestClient, cli_database: str) -> None:
    settings = site.app.state.settings  # type: ignore[attr-defined]
    site.app.state.settings = settings.model_copy(update={"login_lock_after": 3})  # type: ignore[attr-defined]
    for _ in range(2):
        assert site.post("/api/auth/token", json={"username": "viewer", "password": "guess"}).status_code == 401
    locked = site.post("/api/auth/token", json={"username": "viewer", "password": "guess"})
    assert (locked.status_code, locked.json()["error"]["code"]) == (403, "auth.locked")
    page = site.post("/login", data={"username": "viewer", "password": PASSWORD})
    assert page.status_code == 403 and "homecoming admin unlock" in page.text
    admin("unlock", "viewer")
    assert site.post("/api/auth/token", json={"username": "viewer", "password": PASSWORD}).status_code == 200
    assert [action for _who, action, _code in trail(cli_database)] == ["lock", "unlock"]
    missing = CliRunner().invoke(cli, ["--as", "admin", "admin", "unlock", "nobody"])
    assert missing.exit_code == 1 and "users.not_found" in missing.output


@pytest.mark.parametrize("key", ["change-me", "too-short-to-be-random"])
def test_serve_refuses_a_weak_key_on_a_network_interface(key: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HOMECOMING_SECRET_KEY": key,
        "HOMECOMING_DATABASE_URL": f"sqlite:///{tmp_path}/h.db",
        "PYTHONPATH": str(Path(homecoming.__file__).parents[1]),  # the code under test, whatever the working folder
    }
    started = subprocess.run(
        [sys.executable, "-m", "homecoming", "serve", "--host", "0.0.0.0", "--port", "0", "--no-worker"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,  # a safety net: the refusal comes before anything starts
    )
    message = " ".join(started.stderr.split())
    assert started.returncode == 2, started.stderr + started.stdout
    assert "refusing to serve on 0.0.0.0: HOMECOMING_SECRET_KEY is weak" in message
    assert "Homecoming on" not in started.stdout
    assert list(tmp_path.iterdir()) == []  # nothing started, nothing written


def test_the_key_file_is_owner_only_and_refused_when_others_may_read_it(tmp_path: Path) -> None:
    path = tmp_path / "homecoming-secret.key"
    key = read_or_create(path)
    assert read_or_create(path) == key and len(key) == 64
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind
    path.chmod(0o644)
    with pytest.raises(RuleViolation) as refused:
        read_or_create(path)
    assert refused.value.code == "secret_key.file_readable_by_others"
