"""Errors a user can cause: each has a stable code and a message that says what to fix."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a user can cause; `code` is stable and documented."""

    status = 400

    def __init__(
        self, code: str, message: str, details: dict[str, Any] | None = None, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}
        self.headers = headers or {}  # sent with the answer (an authentication challenge, WWW-Authenticate)

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class RuleViolation(DomainError):
    status = 422


class Unauthorized(DomainError):
    """Nobody is logged in, or the credentials are wrong."""

    status = 401


class Forbidden(DomainError):
    """Logged in, but the role does not allow this."""

    status = 403


class TooManyRequests(DomainError):
    """Asked too often (failed log-ins): `details["retry_after_s"]` says how long to wait (sent as Retry-After)."""

    status = 429
