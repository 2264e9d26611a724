"""Who may do what: the one role rule, checked by the use-cases whichever door (API, page, CLI) they were called from.

Admin may always; nobody logged in is 401; another role is 403 naming the roles allowed."""

from __future__ import annotations

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.errors import Forbidden, Unauthorized
from homecoming.phrases import Phrase


def allowed_roles(*roles: Role) -> frozenset[Role]:
    return frozenset({*roles, Role.ADMIN})


def require_role(actor: User | None, *roles: Role) -> User:
    """The actor, if its role is one of `roles` (or admin); else the refusal."""
    if actor is None:
        raise Unauthorized("auth.required", "log in first (a session, or `Authorization: Bearer <token>`)")
    allowed = allowed_roles(*roles)
    if actor.role not in allowed:
        raise Forbidden(
            "auth.forbidden",
            Phrase(
                "the role {role} may not do this; it needs one of: {allowed}",
                role=Phrase(str(actor.role)),
                allowed=tuple(Phrase(str(role)) for role in sorted(allowed)),
            ),
            {"role": str(actor.role), "allowed": sorted(allowed)},
        )
    return actor
