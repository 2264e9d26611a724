"""Accounts: argon2id password hashes (argon2-cffi's defaults, RFC 9106), login, and bearer tokens for scripts."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts.models import ApiToken, Role, User
from homecoming.accounts.schemas import UserCreate
from homecoming.db.crud import id_of
from homecoming.errors import Conflict, Unauthorized
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


def authenticate(session: Session, username: str, password: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None or not user.active:
        raise Unauthorized("auth.bad_credentials", Phrase("wrong username or password"))
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        session.flush()
    return user


def issue_token(session: Session, user: User, name: str) -> str:
    """A new random token; the caller shows it once, the database keeps only its SHA-256."""
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_sha256=_digest(token), name=name, revoked=False))
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    found = session.scalars(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_sha256 == _digest(token), ApiToken.revoked.is_(False), User.active.is_(True))
    ).one_or_none()
    return found


def user_by_id(session: Session, user_id: int) -> User | None:
    user = session.get(User, user_id)
    return user if user is not None and user.active else None


def district_code(session: Session, user: User) -> str | None:
    return None if user.district_id is None else session.get_one(District, user.district_id).code


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def revoke_token(session: Session, token: str) -> bool:
    """Revoke a token (a script is done, or the token leaked); True when there was one to revoke."""
    found = session.scalars(select(ApiToken).where(ApiToken.token_sha256 == _digest(token))).one_or_none()
    if found is None or found.revoked:
        return False
    found.revoked = True
    session.flush()
    return True
