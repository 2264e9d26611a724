"""List endpoints share one shape: limit/offset pagination with the total, filters, and `sort=field` / `-field`."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, TypeAdapter
from sqlalchemy import Row, Select, bindparam, func, select
from sqlalchemy.orm import Session

from homecoming import versions
from homecoming.db import freshness
from homecoming.db.base import Base
from homecoming.errors import DomainError, NotFound
from homecoming.territory.models import District, Settlement
from homecoming.versions import StaleVersion

T = TypeVar("T")
MAX_OFFSET = 2**31 - 1  # beyond any table here, and within every engine's integer


class Page(BaseModel, Generic[T]):
    total: int
    limit: int
    offset: int
    items: list[T]


class Paging(BaseModel):
    limit: int
    offset: int
    sort: str | None


async def paging(  # a coroutine (no I/O): FastAPI runs it in place instead of in a worker thread
    limit: Annotated[int, Query(ge=1, le=500, description="at most this many items")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="skip this many items")] = 0,
    sort: Annotated[str | None, Query(description="a field name; prefix with - for descending")] = None,
) -> Paging:
    return Paging(limit=limit, offset=offset, sort=sort)


PagingDep = Annotated[Paging, Depends(paging)]


def page_of(
    session: Session, query: Select[Any], model: type[Base], sortable: tuple[str, ...], paging: Paging
) -> tuple[int, list[Any]]:
    """The total matching `query`, and one page of its records in the requested order (then by id, so pages are
    stable)."""
    total, ordered = _counted_page(session, query, model, sortable, paging)
    return total, [] if past_the_end(total, paging) else list(session.scalars(ordered))


def past_the_end(total: int, paging: Paging) -> bool:
    """Nothing to fetch: the page starts at or after the last of `total` records. The total is exact for the
    request's data state (counted in it, or kept from a request in the same state), so the page that query would
    return is empty; an empty list, or a page beyond the end, then costs no query (a round trip and the ORM's
    setup, about a third of such a request's CPU)."""
    return paging.offset >= total


class RowListing:
    """One shape of a list of plain rows (which filters, their values left as parameters, and the order), with its
    count and page statements built once, for the lists that take national traffic: building the statements and
    their cache keys on every request cost about as much as running them (0.5 ms of CPU a household page)."""

    def __init__(self, query: Select[Any], model: type[Base], sortable: tuple[str, ...], sort: str | None) -> None:
        self.count = select(func.count()).select_from(query.order_by(None).subquery())
        ordered = query.order_by(*_order(model, sortable, sort))
        self.page = ordered.limit(bindparam("limit")).offset(bindparam("offset"))
        shape = self.count._generate_cache_key()
        self.shape = shape.key if shape else None

    def rows(self, session: Session, params: dict[str, Any], paging: Paging) -> tuple[int, Sequence[Row[Any]]]:
        """The total matching (once per committed change, see `_counted_page`) and one page, as plain tuples in the
        query's column order, run on the session's connection (no records to build and track, and none of the
        session's own execution steps: together half the page's cost)."""
        connection = session.connection()

        def count() -> int:
            return connection.execute(self.count, params).scalar() or 0

        key = ("count", self.shape, repr(sorted(params.items())))
        total = count() if self.shape is None else freshness.cached(session, key, count)
        if past_the_end(total, paging):
            return total, []
        page = {**params, "limit": paging.limit, "offset": paging.offset}
        return total, connection.execute(self.page, page).all()


def page_json(adapter: TypeAdapter[Page[Any]], total: int, paging: Paging, items: list[Any]) -> bytes:
    """A page as JSON, checked against its model once, here (a route answering with it skips FastAPI's second check
    and its trip to a worker thread; the route names the model with `response_model` for the API's description)."""
    page = adapter.validate_python({"total": total, "limit": paging.limit, "offset": paging.offset, "items": items})
    return adapter.dump_json(page)


def _counted_page(
    session: Session, query: Select[Any], model: type[Base], sortable: tuple[str, ...], paging: Paging
) -> tuple[int, Select[Any]]:
    """The total matching `query`, and the query of the requested page.

    The total is counted once per committed change (freshness.cached): counting tens of thousands of households on
    every page of a national registry would cost more than the page itself."""
    query = query.order_by(None)

    def count() -> int:  # the count's statement is built only when it is counted
        return session.scalar(select(func.count()).select_from(query.subquery())) or 0

    # The query's own cache key (as SQLAlchemy's dogpile caching example uses it): compiling it would cost more
    shape = query._generate_cache_key()
    key = ("count", shape.key, repr([bound.effective_value for bound in shape.bindparams])) if shape else None
    total = freshness.cached(session, key, count) if key else count()
    return total, query.order_by(*_order(model, sortable, paging.sort)).limit(paging.limit).offset(paging.offset)


def _order(model: type[Base], sortable: tuple[str, ...], sort: str | None) -> list[Any]:
    """The requested order (`field` or `-field`), then by id, so pages are stable."""
    order = []
    if sort:
        name = sort.removeprefix("-")
        if name not in sortable:
            raise DomainError(
                "request.bad_sort",
                f"cannot sort by {name!r}; choose one of: {', '.join(sortable)}",
                {"sortable": list(sortable)},
            )
        column = model.__table__.c[name]
        # Empty values last on both engines (PostgreSQL would put them first when descending).
        order.append((column.desc() if sort.startswith("-") else column.asc()).nulls_last())
    order.append(model.__table__.c.id.asc())
    return order


class Codes:
    """Stable codes behind surrogate ids, loaded once per committed change (districts and settlements are few)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._maps: dict[type[Base], dict[int, str]] = {}

    def of(self, model: type[Base], record_id: int | None) -> str | None:
        return None if record_id is None else self.map(model)[record_id]

    def map(self, model: type[Base]) -> dict[int, str]:
        """Every code of `model` by its id (for a page of plain rows)."""
        if model not in self._maps:
            self._maps[model] = freshness.cached(self.session, ("codes", model.__tablename__), self._load(model))
        return self._maps[model]

    def _load(self, model: type[Base]) -> Callable[[], dict[int, str]]:
        table = model.__table__
        return lambda: {i: c for i, c in self.session.execute(select(table.c.id, table.c.code))}

    def district(self, record_id: int | None) -> str | None:
        return self.of(District, record_id)

    def settlement(self, record_id: int | None) -> str | None:
        return self.of(Settlement, record_id)


def settlement_ids_in(session: Session, district: str) -> list[int]:
    """The ids of a district's settlements (once per committed change); an unknown district is a 404."""

    def load() -> list[int]:
        district_id = id_for(session, District, district, "district")
        return list(session.scalars(select(Settlement.id).where(Settlement.district_id == district_id)))

    return freshness.cached(session, ("settlements of", district), load)


def id_for(session: Session, model: type[Base], code: str | None, parameter: str) -> int | None:
    """A filter's code to its id; an unknown code is a 404 that names the parameter."""
    if code is None:
        return None
    table, name = model.__table__, model.__tablename__
    found = session.scalar(select(table.c.id).where(table.c.code == code))
    if found is None:
        raise NotFound(f"{name}.not_found", f"{parameter}={code!r}: no such {parameter}", {parameter: code})
    return int(found)


def check_version(record: Any, given: int, current: BaseModel) -> None:
    """The one version rule (`homecoming.versions`), with the API's representation of the current record."""
    with showing_current(lambda _record: current):
        versions.check_version(record, given)


@contextmanager
def showing_current(render: Callable[[Any], BaseModel]) -> Iterator[None]:
    """A door's wrapper round a use-case: a stale version refused inside gets `render(current record)` as
    `details.current`, so a client can merge and retry."""
    try:
        yield
    except StaleVersion as exc:
        exc.details["current"] = render(exc.record).model_dump(mode="json")
        raise
