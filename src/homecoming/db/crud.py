"""The few lookups every domain service shares: find by stable code, add with a unique code, apply changes."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from homecoming.db.base import Base
from homecoming.errors import Conflict, NotFound, RuleViolation
from homecoming.phrases import Phrase

T = TypeVar("T", bound=Base)  # a model with `id` and a unique `code`
S = TypeVar("S", bound=Select[Any])


def get_by_code(session: Session, model: type[T], code: str) -> T:
    found = session.scalars(select(model).where(model.__table__.c.code == code)).one_or_none()
    if found is None:
        table = model.__tablename__
        thing = Phrase(_singular(table))  # a page says it in its reader's language (homecoming.web.terms)
        raise NotFound(
            f"{table}.not_found", Phrase("no {thing} with code {code}", thing=thing, code=repr(code)), {"code": code}
        )
    return found


def id_of(session: Session, model: type[T], code: str | None) -> int | None:
    """The surrogate id behind an optional code (None stays None); NotFound when the code is unknown."""
    if code is None:
        return None
    found: Any = get_by_code(session, model, code)
    return int(found.id)


def holding(text: str, *columns: Any) -> ColumnElement[bool]:
    """A list's "code or name contains" filter: `text` as written (its % and _ are plain characters), any case."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))


def where_equal(query: S, *given: tuple[Any, Any]) -> S:
    """A list's filters: `column == value` for each (column, value) pair whose value is given (not None)."""
    wanted = [column == value for column, value in given if value is not None]
    return query.where(*wanted) if wanted else query


def add_unique(session: Session, record: T) -> T:
    """Add a record whose code is not taken yet; flush so constraint errors surface here."""
    coded: Any = record
    table, code = record.__table__, coded.code
    if session.scalars(select(table.c.id).where(table.c.code == code)).first() is not None:
        name = record.__tablename__
        what = _singular(name)
        raise Conflict(f"{name}.duplicate_code", f"a {what} with code {code!r} exists already", {"code": code})
    session.add(record)
    session.flush()
    return record


def apply_changes(record: Any, changes: dict[str, Any]) -> None:
    """Set the changed fields; a required field sent as empty (null) is refused, naming it."""
    columns = record.__table__.c
    for name, value in changes.items():
        if value is None and name in columns and not columns[name].nullable:
            raise RuleViolation(
                f"{record.__tablename__}.value_required", f"{name} cannot be emptied; give a value", {"field": name}
            )
        setattr(record, name, value)


def _singular(table: str) -> str:
    return table.removesuffix("s").replace("_", " ")
