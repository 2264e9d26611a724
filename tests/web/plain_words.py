"""The crawl for raw words (issue 19, item 4): every page a reader can reach, as every role and in every language,
read as text, and what in it is not a word for people: identifiers, codes, English left on an Azerbaijani page,
numbers written the English way there.

The pages are found, not listed: the seeds are the app's own GET page routes (those of homecoming.web without a
path parameter), and every link within the app a page shows is followed, a few addresses per route, so a page
added later is crawled as soon as it exists and is linked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from babel import Locale
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Match, Route

from homecoming.server.app import all_routes
from homecoming.territory.names import settlement_local_name
from homecoming.web import i18n

ADDRESSES_PER_ROUTE = 4  # detail pages and list variants reached by links, per route: enough to see each template
NOT_PAGES = (".csv", ".geojson", ".json", ".xlsx", ".zip", ".xml", ".png", ".jpg", ".pdf")
SKIPPED_TAGS = {"script", "style"}
SHOWN_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")

# Things that are not words and are allowed on a page as they are; each with why.
ALLOWED = {
    "homecoming_session": "never shown; here only so the list has its shape",
}
ALLOWED_PATTERNS = (
    # OCDS release and tender identifiers are codes a reader copies into other systems (ocds-xxxx-ILL-1)
    re.compile(r"\bocds-[a-z0-9]+-\S+"),
    # a source's web address is shown as the address it is (azertag.az, en.vestikavkaza.ru/material/165482)
    re.compile(
        r"\b(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}/\S*|\b(?:www\.)?(?:[a-z0-9-]+\.)+[a-z]{2,6}\b(?=$|[\s/),])"
    ),
    # a source file's name, so that a figure can be traced to it (programme_facts.csv, unit_costs.csv)
    re.compile(r"\b[\w-]+\.(?:csv|json|xlsx|geojson)\b"),
    # the abbreviation of "for example" in English hints
    re.compile(r"\be\.g\.", re.IGNORECASE),
    # the sweep form's examples of what it reads: lists split by commas, so the decimal mark is the dot (0.8,1,1.2)
    re.compile(r"(?:e\.g\.|məs\.)\s+\d[\d.,]*\d"),
    # standards' version numbers (OCDS 1.1.5, OC4IDS 0.9.4, IATI 2.03): names, not amounts
    re.compile(r"\b(?:OCDS|OC4IDS|IATI)\s+\d+(?:\.\d+)+"),
)
# How English writes the letters Azerbaijani has of its own (ş, ç, x, ğ, c): a name with these has another spelling
ENGLISH_LETTERS = re.compile(r"sh|ch|kh|gh|j")
AZERBAIJANI_LETTERS = set("əğıöüşçƏĞİÖÜŞÇ")  # a text holding one is in Azerbaijani
SNAKE = re.compile(r"(?<![.\w])[a-z]+_[a-z_]+\b")  # inside a dotted code, the code is the finding
DOTTED = re.compile(r"\b[a-z]+(?:\.[a-z_]+)+\b")


@dataclass(frozen=True)
class Finding:
    path: str
    who: str
    language: str
    kind: str
    text: str

    def __str__(self) -> str:
        return f"{self.path} [{self.who}, {self.language}] {self.kind}: {self.text!r}"


class Code(str):
    """Text a page shows inside <code>: an identifier shown as one (a record's code for the clerk who types it)."""

    __slots__ = ()


class _Text(HTMLParser):
    """The text a reader sees (tooltips and alternative texts too) and the links a page offers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.segments: list[str] = []
        self.links: list[str] = []
        self._skipping = 0
        self._in_code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self._skipping += 1
        self._in_code += tag == "code"
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        self.segments += [str(found[a]) for a in SHOWN_ATTRIBUTES if found.get(a)]
        if tag == "input" and found.get("type") in ("submit", "button") and found.get("value"):
            self.segments.append(str(found["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS and self._skipping:
            self._skipping -= 1
        if tag == "code" and self._in_code:
            self._in_code -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._skipping:
            self.segments.append(Code(text) if self._in_code else text)


def read(html: str) -> tuple[list[str], list[str]]:
    parser = _Text()
    parser.feed(html)
    return parser.segments, parser.links


@dataclass
class Rules:
    """What counts as a raw word on a page in a given language."""

    untranslated: set[str]  # English msgids whose Azerbaijani translation differs
    codes_not_names: set[str]  # settlement and district codes that are not their own name
    english_place_names: dict[str, str]  # English names of places that have an Azerbaijani spelling, and that spelling
    places_without_local_name: set[str]  # English names of places with no Azerbaijani spelling at all
    record_names: set[str] = field(default_factory=set)  # records' own names, shown as recorded (works, tenders)
    # codes of records people know by name (bidders): found even alone in a cell, unless shown as a code (<code>)
    named_codes: set[str] = field(default_factory=set)
    allowed: dict[str, str] = field(default_factory=lambda: dict(ALLOWED))

    def findings(self, segments: Iterable[str], language: str) -> Iterator[tuple[str, str]]:
        before = ""
        for segment in segments:
            yield from self._findings(segment, before, language)
            before = segment

    def _findings(self, segment: str, before: str, language: str) -> Iterator[tuple[str, str]]:
        text = _without_allowed(segment)
        yield from (("snake_case", t) for t in SNAKE.findall(text) if t not in self.allowed)
        yield from (("dotted code", t) for t in DOTTED.findall(text) if t not in self.allowed)
        words = set(re.findall(r"[\w-]+", text))
        if segment.strip() not in self.codes_not_names:  # a code alone is a code column's cell, there to be found
            yield from (("code for a name", t) for t in sorted(words & (self.codes_not_names - self.named_codes)))
        if not isinstance(segment, Code):
            yield from (("code for a name", t) for t in sorted(words & self.named_codes))
        if language != i18n.LOCAL_LANGUAGE:
            return
        if segment.strip(" :.") in self.untranslated:
            yield "English on an Azerbaijani page", segment
        yield from (("English-written number", n) for n in english_numbers(text, language))
        if isinstance(segment, Code):
            return  # a value shown as the code it is (a record's stored value on the audit trail)
        for name in self.record_names:  # a work's sourced title (Barda-Aghdam highway) is a name, not words
            text = text.replace(name, " ")
        alone = text.strip(" :.,—-/")
        if not (
            AZERBAIJANI_LETTERS & set(text)
            or alone in self.english_place_names
            or alone in self.places_without_local_name
        ):
            return  # a record's own English text (a source's note) is not the page's words
        for name in _places(text, set(self.english_place_names)):
            if self.english_place_names[name] not in before + segment:  # both spellings side by side: wanted
                yield "English place name", name
        yield from (("no Azerbaijani spelling", n) for n in _places(text, self.places_without_local_name))


def _places(text: str, names: set[str]) -> Iterator[str]:
    return (n for n in sorted(names) if re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", text))


def _without_allowed(text: str) -> str:
    for pattern in ALLOWED_PATTERNS:
        text = pattern.sub(" ", text)
    return text


def english_numbers(text: str, language: str) -> list[str]:
    """Numbers written with English marks (1,234.5) that the language writes otherwise (1.234,5 in Azerbaijani), as
    far as the marks tell: "2,200" may be 2.2 to three places there, so one group counts only after a hundred
    (487,360), before a decimal mark (1,234.5) or with more groups (17,472,000); a decimal mark before other than
    three digits (0.9, 2.64) is a decimal mark where the language groups with it."""
    ours = Locale.parse(language).number_symbols["latn"]
    english = Locale.parse("en").number_symbols["latn"]
    if (english["decimal"], english["group"]) == (ours["decimal"], ours["group"]):
        return []
    group, decimal = re.escape(english["group"]), re.escape(english["decimal"])
    found = []
    if english["group"] != ours["group"]:
        for number in re.findall(rf"(?<![\d{decimal}{group}])\d{{1,3}}(?:{group}\d{{3}})+(?:{decimal}\d+)?", text):
            head, *groups = re.split(group, number)
            if len(groups) > 1 or len(head) == 3 or english["decimal"] in number:
                found.append(number)
    if english["decimal"] != ours["decimal"]:
        found += re.findall(rf"(?<![\d{decimal}{group}])\d+{decimal}(?:\d{{1,2}}|\d{{4,}})(?![\d{decimal}])", text)
    return found


def rules_for(
    session_places: Iterable[tuple[object, object]], record_names: Iterable[str] = (), named: Iterable[object] = ()
) -> Rules:
    """The rules from the catalogue and the registry's places ((settlement, district) records or read models), the
    names of records (works, tenders) that are shown as they were recorded, and other records with a code and a name
    (bidders: a page names the company, never its code alone)."""
    catalogue = getattr(i18n.translations(i18n.LOCAL_LANGUAGE), "_catalog", {})
    untranslated = {k for k, v in catalogue.items() if isinstance(k, str) and k and v and v != k}
    codes: set[str] = set()
    english: dict[str, str] = {}
    without: set[str] = set()
    for place, district in session_places:
        code, name = str(getattr(place, "code", "")), str(getattr(place, "name", ""))
        if code != name and code.lower() != name.lower():
            codes.add(code)
        local = settlement_local_name(place, district)  # type: ignore[arg-type]
        if local is None and ENGLISH_LETTERS.search(name.lower()):
            without.add(name)
        elif local is not None and local != name:
            english[name] = local
    named_codes = {str(getattr(r, "code", "")) for r in named if getattr(r, "code", "") != getattr(r, "name", "")}
    return Rules(untranslated, codes, english, without - set(english), set(record_names), named_codes)


@dataclass
class Crawl:
    app: FastAPI
    client: TestClient
    who: str
    language: str
    seen: dict[str, int] = field(default_factory=dict)
    per_route: dict[str, int] = field(default_factory=dict)

    def pages(self) -> Iterator[tuple[str, str]]:
        """(address, html) of every page reached from the seeds, each route at most ADDRESSES_PER_ROUTE times."""
        queue = list(seed_pages(self.app))
        while queue:
            path = queue.pop(0)
            if path in self.seen:
                continue
            route = route_of(self.app, path)
            if route is None or self.per_route.get(route, 0) >= ADDRESSES_PER_ROUTE:
                continue
            self.per_route[route] = self.per_route.get(route, 0) + 1
            answer = self.client.get(path, follow_redirects=False)
            self.seen[path] = answer.status_code
            if answer.status_code != 200 or not answer.headers.get("content-type", "").startswith("text/html"):
                continue
            yield path, answer.text
            queue += [link for link in (_internal(h) for h in read(answer.text)[1]) if link]


def seed_pages(app: FastAPI) -> list[str]:
    return sorted(r.path for r in page_routes(app) if "{" not in r.path and not r.path.endswith(NOT_PAGES))


def page_routes(app: FastAPI) -> list[Route]:
    return [
        r
        for r in all_routes(app.routes)
        if isinstance(r, Route)
        and "GET" in (r.methods or ())
        and getattr(r.endpoint, "__module__", "").startswith("homecoming.web.")
    ]


def route_of(app: FastAPI, path: str) -> str | None:
    scope = {"type": "http", "path": urlsplit(path).path, "method": "GET"}
    for route in page_routes(app):
        if route.matches(scope)[0] == Match.FULL:
            return None if route.path.endswith(NOT_PAGES) or "/photos/" in route.path else route.path
    return None


def _internal(href: str) -> str | None:
    href = urldefrag(href)[0]
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not href.startswith("/") or href.startswith(("/api/", "/static/", "/files/")):
        return None
    return href
