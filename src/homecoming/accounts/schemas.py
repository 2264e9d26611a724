"""What an admin sends to create an account, and what anyone gets back about one (never the hash)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from homecoming.accounts.roles import Role
from homecoming.input_rules import InputModel

Password = Annotated[str, Field(min_length=10, max_length=200)]


DISTRICT_ROLES = (Role.DATA_ENTRY, Role.ENUMERATOR)  # accounts bound to one district (User.district_id)


class UserCreate(InputModel):
    username: str = Field(min_length=2, max_length=64, pattern=r"^[a-z0-9][a-z0-9._-]*$")
    password: Password
    role: Role
    district_code: str | None = None
    bidder_code: str | None = None  # a contractor account speaks for this company (a registered bidder)

    @model_validator(mode="after")
    def _role_fits(self) -> UserCreate:
        if self.role == Role.PUBLIC:
            raise ValueError("public is nobody logged in; an account has one of the other roles")
        if self.role in DISTRICT_ROLES and self.district_code is None:
            raise ValueError(f"a {self.role} account works in one district: give district_code")
        if (self.role == Role.CONTRACTOR) != (self.bidder_code is not None):
            raise ValueError("a contractor account, and only one, names its company: give bidder_code")
        return self


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    username: str
    role: Role
    district_code: str | None = None
    active: bool
    locked: bool = False  # too many failed log-ins: an admin unlocks it (POST /api/users/{username}/unlock)


class PasswordChange(BaseModel):
    password: Password


class TokenRequest(InputModel):
    username: str
    password: str
    name: str = Field(default="script", min_length=1, max_length=100)
    valid_days: int | None = Field(default=None, ge=1, le=366, description="default: the server's token lifetime")


class TokenIssued(BaseModel):
    token: str
    token_type: str = "bearer"
    expires_at: dt.datetime  # UTC; after it the token gets 401 (ask for a new one)


class CsrfToken(BaseModel):
    """For a page's script: send it as `X-CSRF-Token` with every write made with the session cookie."""

    csrf_token: str
