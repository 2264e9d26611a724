"""Sentences made by the domain for people to read, kept translatable.

A `Phrase` is the English sentence (so logs, the CLI and the API keep working with plain strings) that also
remembers its template and values, so a page can say the same thing in the reader's language: the template is
a gettext msgid (extracted with the `Phrase` keyword, see babel.cfg) and the values are formatted for the
language there. A value that is itself a Phrase is translated too: `Phrase(str(sector))` marks a stored word
(listed in homecoming.web.terms) for translation; a plain string value (a code, a name) is shown as it is.

A sentence a record stores (a plan's data issues and task labels) is a `Message`: its `Template`'s code and its
values, kept as data in the database and made a Phrase only when someone reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"  # the compiled catalogues: <language>/LC_MESSAGES/messages.mo
DOMAIN = "messages"


class Phrase(str):
    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> Phrase:
        phrase = super().__new__(cls, template.format(**{name: english(v) for name, v in values.items()}))
        phrase.template = template
        phrase.values = values
        return phrase

    def __reduce__(self) -> tuple[Any, tuple[str, dict[str, Any]]]:
        return _rebuild, (self.template, self.values)


def _rebuild(template: str, values: dict[str, Any]) -> Phrase:
    return Phrase(template, **values)


def english(value: Any) -> str:
    """Numbers grouped by thousands as an English reader expects, a tuple as a list; anything else as it is."""
    if isinstance(value, tuple):
        return ", ".join(english(v) for v in value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}"
    if isinstance(value, Decimal):
        return f"{value:,}"  # as many decimal places as it holds (see `places`)
    return str(value)


def places(value: float, decimals: int) -> Decimal:
    """A number shown with exactly `decimals` places (3.5 days, 12.25%), in English here and in each page's language."""
    return Decimal(f"{value:.{decimals}f}")


def N_(text: str) -> str:  # gettext's own name for it, which the catalogue's extraction looks for
    """Marks a text for the message catalogue where it is declared; whoever shows it translates it then."""
    return text


@dataclass(frozen=True)
class Template:
    """A sentence a record keeps as data: a stable code and the values, never the words (a changed word, or the
    reader's language, changes how it reads, not what is stored). `text` is the English msgid; `short` says it
    without its `place` value, for a page that names the place around it (a heading, a list of places)."""

    code: str
    text: str
    short: str | None = None
    terms: tuple[str, ...] = ()  # values that are stored words, said in the reader's language (homecoming.web.terms)
    decimals: Mapping[str, int] = field(default_factory=dict)  # values shown with exactly so many decimal places

    def __call__(self, **values: Any) -> Message:
        return Message(self.code, values)

    def phrase(self, values: Mapping[str, Any], *, short: bool = False) -> Phrase:
        typed = {
            name: Phrase(str(v)) if name in self.terms else places(v, self.decimals[name]) if name in self.decimals
            else v
            for name, v in values.items()
        }  # fmt: skip
        if short and self.short is not None:
            return Phrase(self.short, **{name: v for name, v in typed.items() if name != "place"})
        return Phrase(self.text, **typed)


TEMPLATES: dict[str, Template] = {}
TEXT = "text"  # the code of a sentence kept as it was written (a name, or one older than its template)


def template(code: str, text: str, short: str | None = None, **options: Any) -> Template:
    """Declare a stored sentence's template (once, at import, in the module of the domain that says it)."""
    if code in TEMPLATES or code == TEXT:
        raise ValueError(f"template code {code!r} is declared twice")
    TEMPLATES[code] = Template(code, text, short, **options)
    return TEMPLATES[code]


@dataclass(frozen=True)
class Message:
    """A stored sentence: its template's code and its values, as JSON keeps them (`stored`, `read`)."""

    code: str
    values: Mapping[str, Any]

    @classmethod
    def text(cls, text: str) -> Message:
        return cls(TEXT, {"text": text})

    @classmethod
    def read(cls, stored: Mapping[str, Any]) -> Message:
        return cls(str(stored["code"]), dict(stored.get("values", {})))

    def stored(self) -> dict[str, Any]:
        return {"code": self.code, "values": dict(self.values)}

    @property
    def place(self) -> str | None:
        place = self.values.get("place")
        return None if place is None else str(place)

    def phrase(self, *, short: bool = False) -> str:
        """A Phrase a page translates; a sentence kept as written (or of a code no module declares) as it is."""
        known = TEMPLATES.get(self.code)
        if known is None:
            return str(self.values.get("text", self.code))
        return known.phrase(self.values, short=short)

    def __str__(self) -> str:
        return str(self.phrase())


@cache
def catalogue(language: str, locale_dir: Path = LOCALE_DIR) -> NullTranslations:
    """A language's compiled catalogue (English falls back to the msgids themselves): the pages read it through
    `web.i18n`, and the field forms (`fielddata.forms`) label their questions and choices from it."""
    return Translations.load(str(locale_dir), [language], DOMAIN)
