"""Dependencies every route uses: the request's unit of work, who is asking, and what their role may do.

Every route declares exactly one rule: `Depends(Requires(...roles))` or `Depends(public)`. A test walks the
route table and fails on a route with neither, so a new endpoint cannot be left open by forgetting.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Annotated, TypeVar

from fastapi import Depends, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import AfterValidator, BaseModel
from pydantic_core import to_json
from sqlalchemy.orm import Session

from homecoming import input_rules
from homecoming.accounts import logins, permissions, sessions
from homecoming.accounts import service as accounts_service
from homecoming.accounts.models import User
from homecoming.accounts.roles import ACCOUNTS as ACCOUNTS  # who an account is: the domain's; re-exported here
from homecoming.accounts.roles import STAFF as STAFF
from homecoming.accounts.roles import Role
from homecoming.accounts.rules import LoginRules, SessionRules
from homecoming.config import Settings
from homecoming.db import freshness
from homecoming.db import session as db
from homecoming.db.session import unit_of_work
from homecoming.errors import Unauthorized
from homecoming.files.service import default_store
from homecoming.files.store import FileStore
from homecoming.http.csrf import check_csrf_header

T = TypeVar("T")
UNIT_THREADS = 12  # database units of work at once in a server process (see Unit)
# Why a change was made, given with any write that takes no body of its own; kept in the audit trail.
Comment = Annotated[
    str | None,
    Query(max_length=1000, description="why (kept in the audit trail)"),
    AfterValidator(input_rules.field_rule("comment")),
]

# A record's number in a path (a household member's, a duplicate pair's): within the databases' whole numbers, so a
# huge one is refused (422), never a crash.
RecordNumber = Annotated[int, Path(ge=1, le=input_rules.MAX_WHOLE_NUMBER)]


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request: committed when the endpoint returns, rolled back when it raises.

    A coroutine: making the session costs no I/O, so it is made in place; only its end, when the request used the
    database, goes to a worker thread (a plain generator would cost every request two trips to a thread)."""
    session = db.begin(request.app.state.engine)
    try:
        yield session
    except BaseException:
        await _end(session, commit=False)
        raise
    await _end(session, commit=True)


async def _end(session: Session, commit: bool) -> None:
    if db.used(session):
        await run_in_threadpool(db.end, session, commit)
    else:
        db.end(session, commit)  # nothing began: closing is bookkeeping, no I/O


DbSession = Annotated[Session, Depends(get_session, scope="function")]


Clock = Callable[[], dt.datetime]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def server_clock(request: Request) -> Clock:
    """The server's clock; tests put a clock they move by hand on `app.state.clock`."""
    clock: Clock = getattr(request.app.state, "clock", _utc_now)
    return clock


def server_now(request: Request) -> dt.datetime:
    """The server's clock as naive UTC, the form stored times take."""
    moment = server_clock(request)()
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


def session_rules(settings: Settings) -> SessionRules:
    return SessionRules(
        idle=dt.timedelta(minutes=settings.session_idle_minutes),
        lifetime=dt.timedelta(hours=settings.session_lifetime_hours),
    )


def login_rules(settings: Settings) -> LoginRules:
    return LoginRules(
        window=dt.timedelta(minutes=settings.login_window_minutes),
        failures_per_account=settings.login_failures_per_account,
        failures_per_address=settings.login_failures_per_address,
        lock_after=settings.login_lock_after,
    )


def optional_user(request: Request, session: DbSession) -> User | None:
    """The account behind a bearer token or the page session cookie, if any: the one place that decides who is
    asking, for the API and the pages.

    A cookie carries only a server-side session's id (accounts.sessions); a write to the API made with the cookie
    must also send the session's CSRF token as `X-CSRF-Token` (a form sends it in the body; its page checks it)."""
    header = request.headers.get("authorization", "")
    now = server_now(request)
    if header.lower().startswith("bearer "):
        user = accounts_service.user_for_token(session, header[7:].strip(), now)
        if user is None:
            raise Unauthorized("auth.bad_token", "the bearer token is unknown, expired or revoked; ask for a new one")
    else:
        session_id = request.session.get(sessions.COOKIE_KEY) if "session" in request.scope else None
        rules = session_rules(request.app.state.settings)
        user = sessions.user_for_session(session, str(session_id), now, rules) if session_id else None
        if user is not None and request.method not in SAFE_METHODS and request.url.path.startswith("/api/"):
            check_csrf_header(request)
    # Plain values, so an error page can still show who is logged in after the transaction rolled back.
    request.state.who = None if user is None else SimpleNamespace(username=user.username, role=user.role)
    return user


def file_store(request: Request) -> FileStore:
    """The app's one file store (the settings choose it): an S3 client is worth keeping between requests."""
    store: FileStore | None = getattr(request.app.state, "file_store", None)
    if store is None:
        store = request.app.state.file_store = default_store(request.app.state.settings)
    return store


def client_address(request: Request) -> str:
    """The caller's address (behind a reverse proxy, uvicorn takes it from X-Forwarded-For of a trusted proxy)."""
    return request.client.host if request.client is not None else "unknown"


def log_in(request: Request, username: str, password: str) -> User:
    """The login rule (accounts.logins), for the token request and the login page alike. The attempt is committed
    whatever its outcome, so a refused one counts towards throttling and lockout; then the refusal is raised."""
    settings: Settings = request.app.state.settings
    with unit_of_work(request.app.state.engine) as session:
        outcome = logins.log_in(
            session, username, password, client_address(request), server_now(request), login_rules(settings)
        )
    if outcome.refusal is not None:
        raise outcome.refusal
    assert outcome.user is not None
    return outcome.user


def start_page_session(request: Request, session: Session, user: User) -> None:
    """A new server-side session in a fresh cookie; an earlier one of this browser is revoked, and nothing of its
    cookie (its CSRF token included) is kept."""
    end_page_session(request, session)
    session_id = sessions.start_session(session, user, server_now(request), session_rules(request.app.state.settings))
    request.session[sessions.COOKIE_KEY] = session_id


def end_page_session(request: Request, session: Session) -> None:
    """Log-out: the server-side session is revoked (a copied cookie stops working too) and the cookie emptied."""
    session_id = request.session.get(sessions.COOKIE_KEY)
    if session_id:
        sessions.end_session(session, str(session_id), server_now(request))
    request.session.clear()


class Rule:
    """Only these roles (and admin, always) may use the route; nobody logged in gets 401, others 403
    (the one role rule, `accounts.permissions.require_role`)."""

    def __init__(self, *roles: Role) -> None:
        self.roles = permissions.allowed_roles(*roles)

    def check(self, user: User | None) -> User:
        return permissions.require_role(user, *self.roles)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(sorted(self.roles))})"


class Requires(Rule):
    """The rule as a dependency: checked before the route runs, which gets the account."""

    async def __call__(self, user: Annotated[User | None, Depends(optional_user)]) -> User:
        """A coroutine (it does no I/O), so FastAPI runs it in place instead of in a worker thread."""
        return self.check(user)


class Unit:
    """A request's whole use of the database in one trip to a worker thread: the unit of work opened, who is asking
    looked up and the route's rule checked (401/403 before anything else), the route's work done, then committed
    (rolled back when anything raises).

    For the routes that take national traffic: through DbSession and Requires a request makes three trips to a
    worker thread (the account, the route, the commit), each costing more CPU than a page of the list itself."""

    def __init__(self, request: Request, rule: Rule | None, *, asks: bool | None = None) -> None:
        self.request = request
        self.rule = rule
        self.asks = rule is not None if asks is None else asks  # look up who is asking (always under a rule)

    async def run(self, work: Callable[[Session, User | None], T]) -> T:
        """`work(session, account)`: the checked account; on a public route the account of whoever asks (None when
        nobody is logged in), or None without looking when the route does not ask."""
        return await asyncio.get_running_loop().run_in_executor(_UNIT_THREADS, self._run, work)

    async def respond(self, work: Callable[[Session, User | None], BaseModel]) -> Response:
        """`run`, with the model the work returns turned into JSON in the same trip (a route answering with it skips
        FastAPI's second check of the answer and the trip to a thread it takes; the route names its model with
        `response_model` for the API's description)."""
        body = await self.run(lambda session, user: to_json(work(session, user)))
        return Response(body, media_type="application/json")

    async def kept(
        self,
        work: Callable[[Session, User | None], BaseModel | bytes | freshness.Answer],
        *,
        caller: Callable[[User], Hashable] | None = None,
        setting: Hashable = None,
    ) -> Response:
        """`respond`, with the answer's JSON kept per committed change (freshness.cached_answer): a repeat costs the
        data state's query and the route's rule, not the list's queries and serialisation.

        Kept under the request's path and query parameters and who asks as far as an answer may depend on it (by
        default role, district and company; `caller` when it depends on more, an account's own records; None when
        nobody is logged in), and `setting`, any setting it reads. Never served to a caller whose answer could
        differ, never kept from a transaction that wrote (the account's lookup may write: a page session's last
        use). An answer that depends on the clock is a `freshness.Answer` that says until when it holds (the next
        deadline after the instant it was made for): served only to requests whose clock lies in between."""
        key = (self.request.scope["path"], query_key(self.request), setting)
        who = caller or audience

        def answer(session: Session, user: User | None) -> bytes:
            now = server_now(self.request)
            made = freshness.cached_answer(
                session, (*key, None if user is None else who(user)), lambda: _answer(work(session, user)), now
            )
            return made.body

        return Response(await self.run(answer), media_type="application/json")

    def _run(self, work: Callable[[Session, User | None], T]) -> T:
        with unit_of_work(self.request.app.state.engine) as session:
            user = optional_user(self.request, session) if self.asks else None
            return work(session, user if self.rule is None else self.rule.check(user))


def query_key(request: Request) -> tuple[tuple[str, str], ...]:
    """The query's parameters in one order: by name, the values of a repeated name in the order given (a route reads
    the last), so two requests with the same key are parsed alike; unknown parameters only make more keys."""
    return tuple(sorted(request.query_params.multi_items(), key=lambda item: item[0]))


def audience(user: User) -> Hashable:
    """What about an account a list's answer may depend on: its role, its district and its company."""
    return (user.role, user.district_id, user.bidder_id)


def _answer(made: BaseModel | bytes | freshness.Answer) -> freshness.Answer:
    if isinstance(made, freshness.Answer):
        return made
    return freshness.Answer(made if isinstance(made, bytes) else to_json(made))


# The units' own threads, handed work through the event loop's executor: a trip costs about 0.05 ms of CPU, against
# 0.13 ms through FastAPI's thread pool (anyio's limiter and Condition-based queue). A unit holds a pooled connection
# for its whole trip, so there are no more of them than the engine's pool lends at once (5 + 10 overflow).
_UNIT_THREADS = ThreadPoolExecutor(max_workers=UNIT_THREADS, thread_name_prefix="homecoming-unit")


class RequiresInUnit(Rule):
    """The rule of a route that does all its work in one `Unit` (the route gets the unit, not the account): the
    rule is checked in the unit's trip, before the route's work."""

    async def __call__(self, request: Request) -> Unit:
        return Unit(request, self)


async def public_unit(request: Request) -> Unit:
    """A public route's `Unit` (the route still declares `Depends(public)`, its rule): no account is looked up."""
    return Unit(request, None)


async def anyone_unit(request: Request) -> Unit:
    """The `Unit` of a public route whose answer depends on who asks (the account, or None when nobody is logged in;
    the route still declares `Depends(public)`)."""
    return Unit(request, None, asks=True)


PublicUnit = Annotated[Unit, Depends(public_unit)]
StaffUnit = Annotated[Unit, Depends(RequiresInUnit(*STAFF))]
AnyoneUnit = Annotated[Unit, Depends(anyone_unit)]


async def public() -> None:
    """The rule of a route anyone may use, logged in or not: aggregates and reference data only. (A coroutine only
    so that FastAPI calls it in place: a plain function would cost every public request a trip to a thread.)"""
