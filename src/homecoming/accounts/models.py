from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from homecoming.accounts.roles import Role
from homecoming.db.base import Base
from homecoming.db.types import str_enum


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, encoded with its parameters
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    bidder_id: Mapped[int | None] = mapped_column(ForeignKey("bidders.id"), index=True)  # contractor's company
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # False: deactivated, nothing it holds works
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # in a row, since a success
    locked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # too many failures: no log-in until unlocked


class ApiToken(Base):
    """A bearer token for scripts; only its SHA-256 is kept, so a stolen database gives no working token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)  # set when issued (token_lifetime_days)


class LoginSession(Base):
    """A page session. The signed cookie carries only its random id; the database keeps the id's SHA-256, so a
    copied cookie stops working the moment the row is revoked (log-out, deactivation) or expires."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime)  # idle expiry counts from here
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)  # absolute expiry
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class LoginFailure(Base):
    """One failed log-in, kept for the throttling window: counted per name tried and per address."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_username_at", "username", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))  # as typed (cut to 64), known account or not
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
