"""Issue 16, items 1, 8, 9 and the CSRF token of item 3, performed as attacks on both engines: a forged session
cookie, a copied cookie after log-out, an expired or revoked token, a deactivated account, password guessing, and
a cross-site write riding on the session cookie. Each no longer gets through."""

from __future__ import annotations

import base64
import datetime as dt
import json
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from api_support import PASSWORD, Api, seed
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry
from homecoming.config import Settings
from homecoming.server.app import create_app

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)  # the server's clock, moved by hand
COOKIE = "homecoming_session"


@dataclass
class Clock:
    now: dt.datetime = START

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock(api: Api) -> Clock:
    moved = Clock()
    api.client.app.state.clock = moved  # type: ignore[attr-defined]
    return moved


def forged(payload: dict[str, object], key: str) -> str:
    """A session cookie as Starlette's SessionMiddleware makes it, signed with `key`."""
    return TimestampSigner(key).sign(base64.b64encode(json.dumps(payload).encode())).decode()


def logged_in(client: TestClient, username: str) -> str:
    """Log in through the page; the session cookie's value."""
    answer = client.post("/login", data={"username": username, "password": PASSWORD}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return str(client.cookies[COOKIE])


def cookie_client(api: Api, value: str) -> TestClient:
    """Another browser holding a copy of the cookie."""
    other = TestClient(api.client.app)
    other.cookies.set(COOKIE, value)
    return other


def token_for(api: Api, username: str, **extra: object) -> str:
    answer = api.client.post("/api/auth/token", json={"username": username, "password": PASSWORD, **extra})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def wrong_login(client: TestClient, username: str) -> tuple[int, dict[str, object]]:
    answer = client.post("/api/auth/token", json={"username": username, "password": "not-the-password"})
    return answer.status_code, answer.json()


# -- item 1: no shared default secret ---------------------------------------------------------------------------


@pytest.fixture
def default_app(engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    """The app as installed: no HOMECOMING_SECRET_KEY set."""
    with Session(engine) as session:
        seed(session)
        session.commit()
    url = engine.url.render_as_string(hide_password=False)
    settings = Settings(database_url=url, secret_key_file=tmp_path / "data" / "homecoming-secret.key")
    with TestClient(create_app(settings, engine=engine)) as client:
        yield client


def test_a_cookie_signed_with_the_old_default_key_is_refused(default_app: TestClient, tmp_path: Path) -> None:
    with Session(default_app.app.state.engine) as session:  # type: ignore[attr-defined]
        ids = list(session.scalars(select(User.id)))
    for user_id in ids:  # every account, the admin among them
        default_app.cookies.set(COOKIE, forged({"user_id": user_id}, "change-me"))
        assert default_app.get("/api/auth/me").status_code == 401
        households = default_app.get("/api/households")
        assert (households.status_code, households.json()["error"]["code"]) == (401, "auth.required")
    key_file = tmp_path / "data" / "homecoming-secret.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) >= 64


def test_the_generated_key_is_kept_so_a_restart_keeps_sessions(default_app: TestClient, tmp_path: Path) -> None:
    first = default_app.post("/login", data={"username": "viewer", "password": PASSWORD}, follow_redirects=False)
    assert first.status_code == 303
    cookie = str(default_app.cookies[COOKIE])
    engine = default_app.app.state.engine  # type: ignore[attr-defined]
    url = engine.url.render_as_string(hide_password=False)
    settings = Settings(database_url=url, secret_key_file=tmp_path / "data" / "homecoming-secret.key")
    with TestClient(create_app(settings, engine=engine)) as restarted:
        restarted.cookies.set(COOKIE, cookie)
        assert restarted.get("/api/auth/me").json()["username"] == "viewer"


def test_a_signed_user_id_is_not_a_session_even_with_the_right_key(api: Api) -> None:
    """Who is logged in comes from the sessions table: a cookie naming a user is nobody, whoever signed it."""
    with Session(api.engine) as session:
        admin_id = session.scalars(select(User.id).where(User.username == "admin")).one()
    api.client.cookies.set(COOKIE, forged({"user_id": admin_id}, "test-secret"))
    assert api.client.get("/api/auth/me").status_code == 401
    api.client.cookies.set(COOKIE, forged({"session_id": "guessed"}, "test-secret"))
    assert api.client.get("/api/auth/me").status_code == 401


# -- item 9: revocable sessions, expiring tokens, deactivation ----------------------------------------------------


def test_a_cookie_copied_before_log_out_stops_working(api: Api) -> None:
    copy = cookie_client(api, logged_in(api.client, "registrar"))
    assert copy.get("/api/households").status_code == 200
    assert api.client.post("/logout", follow_redirects=False).status_code == 303
    assert copy.get("/api/auth/me").status_code == 401
    assert copy.get("/api/households").status_code == 401


def test_logging_in_again_revokes_the_browsers_earlier_session(api: Api) -> None:
    copy = cookie_client(api, logged_in(api.client, "registrar"))
    logged_in(api.client, "viewer")
    assert copy.get("/api/auth/me").status_code == 401
    assert api.client.get("/api/auth/me").json()["username"] == "viewer"


def test_a_page_session_ends_when_idle_and_at_its_lifetime(api: Api, clock: Clock) -> None:
    idle_copy = cookie_client(api, logged_in(api.client, "viewer"))
    clock.now += dt.timedelta(minutes=59)
    assert idle_copy.get("/api/auth/me").status_code == 200  # used: its idle time starts over
    clock.now += dt.timedelta(minutes=59)
    assert idle_copy.get("/api/auth/me").status_code == 200
    clock.now += dt.timedelta(minutes=60)
    assert idle_copy.get("/api/auth/me").status_code == 401  # an hour unused
    busy = cookie_client(api, logged_in(api.client, "viewer"))
    for _ in range(9):  # used every 50 minutes (450 in all): still ended 8 hours after the log-in
        clock.now += dt.timedelta(minutes=50)
        assert busy.get("/api/auth/me").status_code == 200
    clock.now += dt.timedelta(minutes=50)
    assert busy.get("/api/auth/me").status_code == 401


def test_a_token_expires_and_can_be_revoked(api: Api, clock: Clock) -> None:
    answer = api.client.post("/api/auth/token", json={"username": "viewer", "password": PASSWORD, "valid_days": 1})
    short = answer.json()["token"]
    assert answer.json()["expires_at"].startswith("2026-01-06T09:00")
    default = token_for(api, "viewer")
    clock.now += dt.timedelta(days=1)
    expired = api.client.get("/api/auth/me", headers=bearer(short))
    assert (expired.status_code, expired.json()["error"]["code"]) == (401, "auth.bad_token")
    assert api.client.get("/api/auth/me", headers=bearer(default)).status_code == 200
    clock.now += dt.timedelta(days=89)  # the default lifetime: 90 days
    assert api.client.get("/api/auth/me", headers=bearer(default)).status_code == 401
    clock.now = START
    assert api.client.post("/api/auth/revoke", headers=bearer(default)).status_code == 204
    assert api.client.get("/api/auth/me", headers=bearer(default)).status_code == 401


def test_a_deactivated_account_loses_its_sessions_and_tokens_at_once(api: Api) -> None:
    copy = cookie_client(api, logged_in(api.client, "registrar"))
    token = token_for(api, "registrar")
    done = api.client.post("/api/users/registrar/deactivate", headers=api.as_(Role.ADMIN), params={"comment": "left"})
    assert (done.status_code, done.json()["active"]) == (200, False)
    assert copy.get("/api/households").status_code == 401
    assert api.client.get("/api/households", headers=bearer(token)).status_code == 401
    assert api.client.get("/api/households", headers=api.as_(Role.REGISTRAR)).status_code == 401  # the fixture's
    assert wrong_login(api.client, "registrar")[0] == 401
    refused = api.client.post("/api/auth/token", json={"username": "registrar", "password": PASSWORD})
    assert refused.status_code == 401
    back = api.client.post("/api/users/registrar/activate", headers=api.as_(Role.ADMIN))
    assert back.json()["active"] is True
    assert copy.get("/api/households").status_code == 401  # old sessions stay revoked
    assert api.client.get("/api/households", headers=bearer(token_for(api, "registrar"))).status_code == 200


def test_only_an_admin_deactivates_unlocks_or_revokes(api: Api) -> None:
    for action in ("deactivate", "activate", "unlock", "revoke"):
        refused = api.client.post(f"/api/users/viewer/{action}", headers=api.as_(Role.REGISTRAR))
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "auth.forbidden")
    missing = api.client.post("/api/users/nobody/unlock", headers=api.as_(Role.ADMIN))
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "users.not_found")


# -- item 8: login throttling and lockout ------------------------------------------------------------------------


def test_guessing_a_password_is_throttled_then_locks_the_account(api: Api, clock: Clock) -> None:
    for _ in range(5):
        assert wrong_login(api.client, "planner")[0] == 401
    answer = api.client.post("/api/auth/token", json={"username": "planner", "password": PASSWORD})
    assert answer.status_code == 429  # even the right password waits
    error = answer.json()["error"]
    assert (error["code"], error["details"]["scope"]) == ("auth.throttled", "account")
    assert answer.headers["Retry-After"] == str(error["details"]["retry_after_s"]) == "900"
    clock.now += dt.timedelta(minutes=15)
    for _ in range(4):
        assert wrong_login(api.client, "planner")[0] == 401
    status, body = wrong_login(api.client, "planner")  # the tenth in a row
    assert (status, body["error"]["code"]) == (403, "auth.locked")  # type: ignore[index]
    clock.now += dt.timedelta(days=2)
    still = api.client.post("/api/auth/token", json={"username": "planner", "password": PASSWORD})
    assert (still.status_code, still.json()["error"]["code"]) == (403, "auth.locked")
    accounts = {a["username"]: a for a in api.client.get("/api/users", headers=api.as_(Role.ADMIN)).json()}
    assert (accounts["planner"]["locked"], accounts["viewer"]["locked"]) == (True, False)
    assert api.client.post("/api/users/planner/unlock", headers=api.as_(Role.ADMIN)).json()["locked"] is False
    assert token_for(api, "planner")
    with Session(api.engine) as session:
        trail = [(e.action, e.record_code) for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert trail == [("login_burst", "planner"), ("login_burst", "planner"), ("lock", "planner"), ("unlock", "planner")]


def test_guessing_many_names_from_one_address_is_throttled(api: Api, clock: Clock) -> None:
    for n in range(20):
        assert wrong_login(api.client, f"guess-{n}")[0] == 401
    status, body = wrong_login(api.client, "viewer")
    assert (status, body["error"]["details"]["scope"]) == (429, "address")  # type: ignore[index]
    page = api.client.post("/login", data={"username": "viewer", "password": PASSWORD})
    assert page.status_code == 429 and "Retry-After" in page.headers
    with Session(api.engine) as session:
        burst = session.scalars(select(AuditEntry).where(AuditEntry.action == "login_burst")).one()
    assert burst.username == "anonymous@testclient"
    assert burst.after is not None and burst.after["failures_from_address"] == 20
    clock.now += dt.timedelta(minutes=15)
    assert token_for(api, "viewer")


def test_the_login_page_and_the_api_share_one_count(api: Api, clock: Clock) -> None:
    for _ in range(3):
        page = api.client.post("/login", data={"username": "viewer", "password": "wrong-password"})
        assert page.status_code == 401
    for _ in range(2):
        assert wrong_login(api.client, "viewer")[0] == 401
    page = api.client.post("/login", data={"username": "viewer", "password": PASSWORD}, follow_redirects=False)
    assert page.status_code == 429
    assert page.headers["Retry-After"] == "900"
    assert "too many failed log-ins" in page.text


# -- item 3: the CSRF token on cookie-authenticated API writes -----------------------------------------------------


def test_a_cross_site_write_with_the_session_cookie_is_refused(api: Api) -> None:
    logged_in(api.client, "admin")
    account = {"username": "newcomer", "password": "a-long-password", "role": "viewer"}
    refused = api.client.post("/api/users", json=account)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "auth.csrf")
    wrong = api.client.post("/api/users", json=account, headers={"X-CSRF-Token": "guessed"})
    assert wrong.status_code == 403
    token = api.client.get("/api/auth/csrf").json()["csrf_token"]
    assert api.client.post("/api/users", json=account, headers={"X-CSRF-Token": token}).status_code == 201
    assert api.client.get("/api/users").status_code == 200  # reads need no token


def test_a_bearer_token_write_needs_no_csrf_token(api: Api) -> None:
    account = {"username": "scripted", "password": "a-long-password", "role": "viewer"}
    assert api.client.post("/api/users", json=account, headers=api.as_(Role.ADMIN)).status_code == 201
