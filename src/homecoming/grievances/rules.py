"""The pure rules of grievances: the tracking code, who answers, and when an answer is due. No database here."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping

from homecoming.accounts.roles import Role
from homecoming.grievances.models import GrievanceCategory, SubjectKind

# Crockford's base 32 (no I, L, O, U): read aloud or copied by hand without confusion. 15 symbols = 75 random bits,
# drawn by `secrets`: a tracking code cannot be guessed from another, nor found by trying codes.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_SYMBOLS = 15
PREFIX = "G"

# Who answers, by what a grievance is about (docs/grievances.md, "Routing"). A district clerk (data_entry) answers
# for a settlement and a convoy of its district; the registrar, the only role that sees household data, for a
# family's allocation; planners for works; the procurement officer for a tender.
ROLE_BY_SUBJECT: Mapping[SubjectKind, Role] = {
    SubjectKind.SETTLEMENT: Role.DATA_ENTRY,
    SubjectKind.CONVOY: Role.DATA_ENTRY,
    SubjectKind.ALLOCATION: Role.REGISTRAR,
    SubjectKind.PROJECT: Role.PLANNER,
    SubjectKind.TENDER: Role.PROCUREMENT_OFFICER,
}
# A report of fraud or corruption skips the people it may be about: there is no auditor role, so admin answers it.
ROLE_BY_CATEGORY: Mapping[GrievanceCategory, Role] = {GrievanceCategory.FRAUD_OR_CORRUPTION: Role.ADMIN}
# Where an overdue grievance goes (besides the role it was routed to).
ESCALATION_ROLE = Role.ADMIN


def new_tracking_code() -> str:
    """`G-XXXXX-XXXXX-XXXXX`: random symbols, never a sequence."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(CODE_SYMBOLS))
    return "-".join([PREFIX, symbols[:5], symbols[5:10], symbols[10:]])


def normal_tracking_code(given: str) -> str:
    """A code as a person may type it back: any case, spaces around; O read as 0, I and L as 1 (Crockford)."""
    return given.strip().upper().translate(str.maketrans("OIL", "011"))


def parse_about(about: str) -> tuple[SubjectKind, str] | None:
    """`settlement:aghdam` -> (settlement, "aghdam"); None when it is not `<kind>:<code>` of a known kind."""
    kind, sep, code = about.strip().partition(":")
    if not sep or not code.strip():
        return None
    try:
        return SubjectKind(kind.strip().lower()), code.strip()
    except ValueError:
        return None


def assigned_role(kind: SubjectKind, category: GrievanceCategory) -> Role:
    return ROLE_BY_CATEGORY.get(category) or ROLE_BY_SUBJECT[kind]


def due_at(filed_at: dt.datetime, category: GrievanceCategory, service_days: Mapping[str, int]) -> dt.datetime:
    """When the answer is due: the category's service time (Settings.grievance_service_days) after filing."""
    return filed_at + dt.timedelta(days=service_days.get(category.value, service_days.get("default", 14)))


def is_overdue(due: dt.datetime, answered_at: dt.datetime | None, now: dt.datetime) -> bool:
    return answered_at is None and now >= due
