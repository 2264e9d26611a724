"""Database plumbing: the declarative Base, engines, sessions and the unit of work that owns commits."""

from homecoming.db.base import Base, SourcedMixin
from homecoming.db.session import get_engine, make_engine, unit_of_work

__all__ = ["Base", "SourcedMixin", "get_engine", "make_engine", "unit_of_work"]
