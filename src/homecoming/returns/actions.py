"""Reported returns' use-cases: recording an event (data entry in its own district, registrars anywhere) and what a
reader is shown of each event's families and people (exact for the registry's readers, else protected by the one
disclosure rule, homecoming.disclosure)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from homecoming import disclosure
from homecoming.accounts import permissions
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.disclosure.figures import Count
from homecoming.disclosure.rule import sees_exact_counts
from homecoming.returns import service
from homecoming.returns.models import ReturnEvent
from homecoming.returns.schemas import ReturnEventCreate
from homecoming.territory import scope

RECORDERS = (Role.DATA_ENTRY, Role.REGISTRAR)  # who records a return event (a data_entry account in its district)
EXACT_SORTABLE = ("code", "event_date", "families", "people")
PROTECTED_SORTABLE = ("code", "event_date")  # no ranking by a withheld size


def record_event(
    session: Session, actor: User | None, data: ReturnEventCreate, *, comment: str | None = None
) -> ReturnEvent:
    """A group arriving, or a cumulative count; a data_entry account records them in its own district only."""
    user = permissions.require_role(actor, *RECORDERS)
    scope.ensure_may_write(session, user, scope.place_of(session, None, data.settlement_code))
    event = service.record_event(session, data)
    audit.record_change(session, user, "create", event, before=None, comment=comment)
    return event


def sortable_for(actor: User | None) -> tuple[str, ...]:
    """What a reader may sort events by: not by their size unless it sees exact counts."""
    return EXACT_SORTABLE if sees_exact_counts(None if actor is None else actor.role) else PROTECTED_SORTABLE


def visible_event_counts(
    session: Session, actor: User | None, events: Iterable[ReturnEvent], threshold: int
) -> dict[str, Count] | None:
    """Event code -> the protected families and people this reader is shown (a Count's None: withheld); None when
    the reader sees every event's figures as recorded."""
    if sees_exact_counts(None if actor is None else actor.role):
        return None
    shown = disclosure.returns(session, threshold).by_event
    return {e.code: shown[e.code] for e in events}
