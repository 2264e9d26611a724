"""Sentences made by the domain for people to read, kept translatable.

A `Phrase` is the English sentence (so logs, the CLI and the API keep working with plain strings) that also
remembers its template and values, so a page can say the same thing in the reader's language: the template is
a gettext msgid (extracted with the `Phrase` keyword, see babel.cfg) and the values are formatted for the
language there. A value that is itself a Phrase is translated too: `Phrase(str(sector))` marks a stored word
(listed in homecoming.web.terms) for translation; a plain string value (a code, a name) is shown as it is.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any


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
