"""Declarative base with a naming convention, so that migrations name constraints the same on every engine."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, MetaData, String, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SourcedMixin:
    """A figure that came from somewhere keeps where and when (house rule 6)."""

    source_url: Mapped[str | None] = mapped_column(String(500))
    source_date: Mapped[dt.date | None]


class IllustrativeMixin:
    """A record made up to show what a page does (the demo's tenders, hazard polygons, damage counts, risk run):
    never a fact. Pages that list such records say so beside each one, so it is never read as sourced."""

    illustrative: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
