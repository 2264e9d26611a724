"""One way a page lists many records: `page`, `per_page`, `sort` and the list's own filters in the query string.

Each list declares what may be asked of it (`ListSpec`): the sort keys (an allow-list: anything else is refused with
a message naming the keys, so no text from the address ever reaches a statement as a column), the filters it has
and, for a filter with fixed values, those values. `list_view` reads the request into a `ListView`; the domain's read
model builds the statement from the filters and `homecoming.http.listing.page_of` (the API lists' own paging) runs
one page of it, so the pages and the API page, order and count the same way. The view then gives the template what
it shows: "rows a–b of N", previous/next links that keep the filters and the order, and sortable column headers
(templates/listing.html).

OFFSET paging: a reader jumps to a page and sorts by any allowed column, and each list says where a page sits in the
whole ("rows 51–100 of 6,229"); a keyset would need a cursor per sort key and could do neither. The lists here hold at
most tens of thousands of rows (a settlement's registry), where an offset costs little (docs/forms.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode

from starlette.requests import Request

from homecoming.errors import DomainError
from homecoming.http.listing import Paging
from homecoming.phrases import Phrase

T = TypeVar("T")
MAX_PAGE = 1_000_000
PER_PAGE = (25, 50, 100, 200)  # the sizes a reader may choose
MAX_FILTER_CHARS = 100


@dataclass(frozen=True)
class ListSpec:
    """What a list may be asked: sort keys (first is the default order unless `default_sort` says otherwise), its
    filters, and the allowed values of those filters that have fixed ones."""

    sortable: tuple[str, ...]
    filters: tuple[str, ...] = ()
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    default_sort: str | None = None
    per_page: int = 50

    @property
    def first_sort(self) -> str:
        return self.default_sort or self.sortable[0]


@dataclass(frozen=True)
class Window:
    """Where the shown page sits: rows `first`–`last` (counted from 1) of `total`, and the links around it."""

    first: int
    last: int
    total: int
    previous: str | None
    next: str | None
    past_end: str | None  # a page beyond the last: the link to the last one


@dataclass(frozen=True)
class ListView:
    """One request of a list: its page, size, order and filters (checked), and the links that change one of them."""

    path: str
    spec: ListSpec
    page: int
    per_page: int
    sort: str
    filters: dict[str, str]

    @property
    def paging(self) -> Paging:
        return Paging(limit=self.per_page, offset=(self.page - 1) * self.per_page, sort=self.sort)

    def filter(self, name: str) -> str | None:
        return self.filters.get(name)

    def chosen(self, name: str, kind: Callable[[str], T]) -> T | None:
        """A filter with fixed values as its type (an enum), or None when not given."""
        value = self.filters.get(name)
        return None if value is None else kind(value)

    def link(self, **changes: Any) -> str:
        """This list's address with the filters kept and `changes` applied; defaults are left out of it."""
        state: dict[str, Any] = {"sort": self.sort, "per_page": self.per_page, "page": self.page, **changes}
        query: dict[str, Any] = dict(self.filters)
        if state["sort"] != self.spec.first_sort:
            query["sort"] = state["sort"]
        if state["per_page"] != self.spec.per_page:
            query["per_page"] = state["per_page"]
        if state["page"] != 1:
            query["page"] = state["page"]
        return f"{self.path}?{urlencode(query)}" if query else self.path

    def sort_link(self, key: str) -> str:
        """The header's link: by `key` ascending, or descending when the list is already sorted by it ascending."""
        return self.link(sort=f"-{key}" if self.sort == key else key, page=1)

    def sorted_by(self, key: str) -> str:
        """The header's `aria-sort` value."""
        if self.sort == key:
            return "ascending"
        return "descending" if self.sort == f"-{key}" else "none"

    def hidden(self) -> dict[str, str]:
        """What a filter form carries unseen so that filtering keeps the order (and starts at page 1); the size is
        one of the form's own fields."""
        return {"sort": self.sort} if self.sort != self.spec.first_sort else {}

    def window(self, total: int) -> Window:
        offset = self.paging.offset
        last = min(offset + self.per_page, total)
        previous = self.link(page=self.page - 1) if self.page > 1 else None
        following = self.link(page=self.page + 1) if last < total else None
        past_end = None
        if total and offset >= total:
            previous, past_end = None, self.link(page=-(-total // self.per_page))
        return Window(offset + 1 if last > offset else 0, last, total, previous, following, past_end)


def list_view(request: Request, spec: ListSpec) -> ListView:
    """The list the request asks for; a value the list does not take is refused with what it does take."""
    given = request.query_params
    page = _whole(given.get("page"), "page", 1, range(1, MAX_PAGE + 1))
    per_page = _whole(given.get("per_page"), "per_page", spec.per_page, PER_PAGE)
    sort = (given.get("sort") or "").strip() or spec.first_sort
    if sort.removeprefix("-") not in spec.sortable:
        raise DomainError(
            "request.bad_sort",
            Phrase("cannot sort by “{name}”; choose one of: {choices}", name=sort[:40], choices=spec.sortable),
            {"sortable": list(spec.sortable)},
        )
    filters = {}
    for name in spec.filters:
        value = (given.get(name) or "").strip()
        if not value:
            continue
        allowed = spec.choices.get(name)
        if allowed is not None and value not in allowed:
            raise DomainError(
                "request.bad_filter",
                Phrase("the filter “{name}” does not take this value; choose one of: {choices}", name=name,
                       choices=allowed),
                {"filter": name, "choices": list(allowed)},
            )  # fmt: skip
        if len(value) > MAX_FILTER_CHARS:
            raise DomainError(
                "request.bad_filter",
                Phrase("the filter “{name}” takes at most {n} characters", name=name, n=MAX_FILTER_CHARS),
                {"filter": name},
            )
        filters[name] = value
    return ListView(request.url.path, spec, page, per_page, sort, filters)


def _whole(text: str | None, name: str, default: int, allowed: range | tuple[int, ...]) -> int:
    if text is None or not text.strip():
        return default
    number = text.strip()
    if not number.isdigit() or len(number) > 7 or int(number) not in allowed:
        shown = f"1–{allowed[-1]:,}" if isinstance(allowed, range) else ", ".join(map(str, allowed))
        raise DomainError(
            "request.bad_page",
            Phrase("“{name}” must be a whole number: {allowed}", name=name, allowed=shown),
            {"parameter": name},
        )
    return int(number)
