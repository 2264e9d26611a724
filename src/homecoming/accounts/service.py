"""Accounts: argon2id password hashes (argon2-cffi's defaults, RFC 9106), bearer tokens for scripts, and the data
functions behind what an admin does to an account (the use-cases, each audited, are in homecoming.accounts.actions).

Logging in (throttled, with lockout) is in homecoming.accounts.logins; page sessions in homecoming.accounts.sessions.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from homecoming.accounts.models import ApiToken, LoginSession, User
from homecoming.accounts.roles import Role
from homecoming.accounts.schemas import DISTRICT_ROLES, UserCreate
from homecoming.config import get_settings
from homecoming.db import freshness
from homecoming.db.crud import id_of
from homecoming.errors import Conflict, NotFound, Unauthorized
from homecoming.phrases import Phrase
from homecoming.procurement.models import Bidder
from homecoming.territory.models import District

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so a wrong name costs the same time as a wrong password.
    Made on first use, not at import: a hash costs a second on purpose, and `homecoming admin --help` needs none."""
    return _hasher.hash("not-a-real-password")


def create_user(session: Session, data: UserCreate) -> User:
    if session.scalars(select(User.id).where(User.username == data.username)).first() is not None:
        raise Conflict("users.duplicate_username", f"an account named {data.username!r} exists already")
    user = User(
        username=data.username,
        password_hash=_hasher.hash(data.password),
        role=data.role,
        district_id=id_of(session, District, data.district_code) if data.role in DISTRICT_ROLES else None,
        bidder_id=id_of(session, Bidder, data.bidder_code) if data.role == Role.CONTRACTOR else None,
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def bad_credentials() -> Unauthorized:
    return Unauthorized("auth.bad_credentials", Phrase("wrong username or password"))


def password_matches(session: Session, user: User | None, password: str) -> bool:
    """Check the password (against a dummy hash when there is no such account, so both cost the same time);
    a hash made with older parameters is renewed."""
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    if user is None:
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        session.flush()
    return True


def issue_token(
    session: Session, user: User, name: str, *, now: dt.datetime | None = None, lifetime: dt.timedelta | None = None
) -> str:
    """A new random token; the caller shows it once, the database keeps only its SHA-256. It stops working after
    `lifetime` (default: Settings.token_lifetime_days) counted from `now` (default: the current time)."""
    token = secrets.token_urlsafe(32)
    now = now or utc_now()
    lifetime = lifetime or dt.timedelta(days=get_settings().token_lifetime_days)
    session.add(ApiToken(user_id=user.id, token_sha256=digest(token), name=name, revoked=False,
                         expires_at=now + lifetime))  # fmt: skip
    session.flush()
    return token


def user_for_token(session: Session, token: str, now: dt.datetime) -> User | None:
    """The active account behind a token that is neither revoked nor expired.

    Asked on every request with a token, so the owner's row is looked up once per committed change
    (`freshness.cached`): a revocation, a deactivation or a role change is a commit, so it holds from the next
    request on; the expiry is checked against `now` every time. The account comes back attached to `session`
    without a query (the cached values are plain, never an object another session holds)."""
    key = ("token owner", digest(token))
    found = freshness.cached(session, key, lambda: _token_owner(session, key[1]))
    if found is None or found[1] <= now:
        return None
    return _attached(session, found[0])


def _token_owner(session: Session, token_sha256: str) -> tuple[dict[str, Any], dt.datetime] | None:
    row = session.connection().execute(_TOKEN_OWNER, {"token_sha256": token_sha256}).one_or_none()
    return None if row is None else (dict(zip(_USER_COLUMNS, row[:-1], strict=True)), row[-1])


def _attached(session: Session, values: dict[str, Any]) -> User:
    """The account with these column values, in `session`: the one it holds already, or one made from the values
    (as if loaded: nothing to flush)."""
    known = session.identity_map.get(identity_key(User, values["id"]))
    if isinstance(known, User):
        return known
    user = User(**values)
    make_transient_to_detached(user)
    session.add(user)
    return user


# Built once: asked on every request with a token, and building the statement cost more CPU than running it.
_USER_COLUMNS = tuple(column.key for column in User.__table__.c)
_TOKEN_OWNER = (
    select(*User.__table__.c, ApiToken.expires_at)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_sha256 == bindparam("token_sha256"), ApiToken.revoked.is_(False), User.active.is_(True))
)


def district_code(session: Session, user: User) -> str | None:
    return None if user.district_id is None else session.get_one(District, user.district_id).code


def digest(token: str) -> str:
    """What the database keeps of a token or a session id: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def revoke_token(session: Session, token: str) -> bool:
    """Revoke a token (a script is done, or the token leaked); True when there was one to revoke."""
    found = session.scalars(select(ApiToken).where(ApiToken.token_sha256 == digest(token))).one_or_none()
    if found is None or found.revoked:
        return False
    found.revoked = True
    session.flush()
    return True


def set_password_hash(user: User, password: str) -> None:
    user.password_hash = _hasher.hash(password)


def get_user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        raise NotFound("users.not_found", f"there is no account named {username!r}", {"username": username})
    return user


def account_state(user: User) -> dict[str, object]:
    """What the audit trail keeps of an account's state (never its password hash)."""
    locked_at = None if user.locked_at is None else user.locked_at.isoformat()
    return {"active": user.active, "locked_at": locked_at, "failed_logins": user.failed_logins}


def account_profile(user: User) -> dict[str, object]:
    """What the audit trail keeps of a new account (never its password hash)."""
    return {"username": user.username, "role": str(user.role), "district_id": user.district_id,
            "bidder_id": user.bidder_id, "active": user.active}  # fmt: skip


def has_admin(session: Session) -> bool:
    """Whether an active admin account exists (until one does, the command line bootstraps the first)."""
    query = select(User.id).where(User.role == Role.ADMIN, User.active.is_(True))
    return session.scalars(query).first() is not None


def revoke_everything(session: Session, user: User, now: dt.datetime) -> dict[str, int]:
    """Revoke every live page session and token of the account; how many of each."""
    live_sessions = list(
        session.scalars(select(LoginSession).where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None)))
    )
    live_tokens = list(
        session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False)))
    )
    for row in live_sessions:
        row.revoked_at = now
    for token in live_tokens:
        token.revoked = True
    session.flush()
    return {"sessions_revoked": len(live_sessions), "tokens_revoked": len(live_tokens)}
