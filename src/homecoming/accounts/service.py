"""Accounts: argon2id password hashes (argon2-cffi's defaults, RFC 9106), bearer tokens for scripts, and what an
admin does to an account (unlock, deactivate, set a password, revoke everything it holds), each audited.

Logging in (throttled, with lockout) is in homecoming.accounts.logins; page sessions in homecoming.accounts.sessions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from homecoming.accounts.models import ApiToken, LoginSession, Role, User
from homecoming.accounts.schemas import PasswordChange, UserCreate
from homecoming.audit import service as audit
from homecoming.config import get_settings
from homecoming.db.crud import id_of
from homecoming.errors import Conflict, NotFound, RuleViolation, Unauthorized
from homecoming.phrases import Phrase
from homecoming.procurement.models import Bidder
from homecoming.territory.models import District

_hasher = PasswordHasher()
# Verified against when the username is unknown, so a wrong name costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def create_user(session: Session, data: UserCreate) -> User:
    if session.scalars(select(User.id).where(User.username == data.username)).first() is not None:
        raise Conflict("users.duplicate_username", f"an account named {data.username!r} exists already")
    user = User(
        username=data.username,
        password_hash=_hasher.hash(data.password),
        role=data.role,
        district_id=id_of(session, District, data.district_code) if data.role == Role.DATA_ENTRY else None,
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
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
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
    """The active account behind a token that is neither revoked nor expired."""
    found = session.scalars(_TOKEN_OWNER, {"token_sha256": digest(token), "now": now}).one_or_none()
    return found


# Built once: asked on every request with a token, and building the statement cost more CPU than running it.
_TOKEN_OWNER = (
    select(User)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(
        ApiToken.token_sha256 == bindparam("token_sha256"),
        ApiToken.revoked.is_(False),
        ApiToken.expires_at > bindparam("now"),
        User.active.is_(True),
    )
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


# -- what an admin does to an account (API and `homecoming admin`), each written to the audit trail ----------------


def unlock(session: Session, actor: User, username: str, now: dt.datetime, comment: str | None = None) -> User:
    """Let a locked account log in again (its count of failures starts over)."""
    user = get_user(session, username)
    before = account_state(user)
    user.locked_at, user.failed_logins = None, 0
    session.flush()
    audit.record_change(session, actor, "unlock", user, before=before, after=account_state(user), comment=comment,
                        code=user.username)  # fmt: skip
    return user


def deactivate(session: Session, actor: User, username: str, now: dt.datetime, comment: str | None = None) -> User:
    """The account stops working at once: every page session and token it holds is revoked, and no log-in,
    session or token of it is accepted while it is inactive."""
    user = get_user(session, username)
    if user.id == actor.id:
        raise RuleViolation("users.deactivate_self", "an admin cannot deactivate their own account; ask another admin")
    before = account_state(user)
    user.active = False
    _revoke_all(session, user, now)
    audit.record_change(session, actor, "deactivate", user, before=before, after=account_state(user),
                        comment=comment, code=user.username)  # fmt: skip
    return user


def activate(session: Session, actor: User, username: str, now: dt.datetime, comment: str | None = None) -> User:
    """Undo a deactivation: the account may log in again (its old sessions and tokens stay revoked)."""
    user = get_user(session, username)
    before = account_state(user)
    user.active = True
    session.flush()
    audit.record_change(session, actor, "activate", user, before=before, after=account_state(user), comment=comment,
                        code=user.username)  # fmt: skip
    return user


def set_password(
    session: Session, actor: User, username: str, data: PasswordChange, now: dt.datetime, comment: str | None = None
) -> User:
    """A new password; every session and token of the account is revoked, as whoever knew the old password may
    hold one."""
    user = get_user(session, username)
    user.password_hash = _hasher.hash(data.password)
    revoked = _revoke_all(session, user, now)
    audit.record_change(session, actor, "password", user, before=None, after={"password": "changed", **revoked},
                        comment=comment, code=user.username)  # fmt: skip
    return user


def revoke_all(session: Session, actor: User, username: str, now: dt.datetime, comment: str | None = None) -> User:
    """Revoke every page session and token the account holds (a device lost, a token leaked)."""
    user = get_user(session, username)
    revoked = _revoke_all(session, user, now)
    audit.record_change(session, actor, "revoke", user, before=None, after=revoked, comment=comment,
                        code=user.username)  # fmt: skip
    return user


def get_user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        raise NotFound("users.not_found", f"there is no account named {username!r}", {"username": username})
    return user


def account_state(user: User) -> dict[str, object]:
    """What the audit trail keeps of an account's state (never its password hash)."""
    locked_at = None if user.locked_at is None else user.locked_at.isoformat()
    return {"active": user.active, "locked_at": locked_at, "failed_logins": user.failed_logins}


def _revoke_all(session: Session, user: User, now: dt.datetime) -> dict[str, int]:
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
