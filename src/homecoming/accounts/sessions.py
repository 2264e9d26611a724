"""Page sessions kept on the server: the signed cookie carries only a random session id, the database its SHA-256
and who, since when, last seen, until when, revoked. Log-out, deactivation and `homecoming admin revoke` end a
session at once, wherever copies of its cookie are."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from homecoming.accounts.models import LoginSession, User
from homecoming.accounts.rules import SessionRules, session_ended
from homecoming.accounts.service import digest

COOKIE_KEY = "session_id"  # the one value of the signed cookie that says who is logged in


def start_session(session: Session, user: User, now: dt.datetime, rules: SessionRules) -> str:
    """A new session for the account; returns its id (for the cookie; the database keeps only its digest)."""
    session.execute(delete(LoginSession).where(LoginSession.expires_at <= now))  # ended ones are of no more use
    session_id = secrets.token_urlsafe(32)
    session.add(LoginSession(id_sha256=digest(session_id), user_id=user.id, created_at=now, last_seen_at=now,
                             expires_at=now + rules.lifetime))  # fmt: skip
    session.flush()
    return session_id


def user_for_session(session: Session, session_id: str, now: dt.datetime, rules: SessionRules) -> User | None:
    """The active account of a session that is neither revoked nor ended; its last use is noted (at most once in
    `rules.touch_every`, to spare the database a write per request)."""
    row = session.scalars(select(LoginSession).where(LoginSession.id_sha256 == digest(session_id))).one_or_none()
    if row is None or row.revoked_at is not None or session_ended(row.last_seen_at, row.expires_at, now, rules.idle):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if now - row.last_seen_at >= rules.touch_every:
        row.last_seen_at = now
        session.flush()
    return user


def end_session(session: Session, session_id: str, now: dt.datetime) -> None:
    """Log-out: the session is revoked, so a copy of its cookie no longer works either."""
    row = session.scalars(select(LoginSession).where(LoginSession.id_sha256 == digest(session_id))).one_or_none()
    if row is not None and row.revoked_at is None:
        row.revoked_at = now
        session.flush()
