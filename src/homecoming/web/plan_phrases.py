"""A plan's stored sentences (task labels, data issues), read back as Phrases so a page can translate them.

The planner stores them as English strings (the API, the CLI and the exports show them so); a page recognises
the shapes it knows and says them in the reader's language. A sentence of another shape is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from homecoming.phrases import Phrase, places


def _count(text: str) -> int:
    return int(text.replace(",", ""))


def _sector(text: str) -> Phrase:
    return Phrase(text)  # a stored word, listed in homecoming.web.terms


NUMBER = r"([\d,]+)"
SHAPES: tuple[tuple[str, Callable[[re.Match[str]], Phrase]], ...] = (
    (r"proposed (\w+) works", lambda m: Phrase("proposed {sector} works", sector=_sector(m[1]))),
    (r"proposed (\w+) works for (.+)", lambda m: Phrase("proposed {sector} works for {place}", sector=_sector(m[1]),
                                                        place=m[2])),
    (rf"proposed {NUMBER} houses", lambda m: Phrase("proposed {count} houses", count=_count(m[1]))),
    (rf"proposed {NUMBER} houses in (.+)", lambda m: Phrase("proposed {count} houses in {place}",
                                                            count=_count(m[1]), place=m[2])),
    (rf"{NUMBER} houses", lambda m: Phrase("{count} houses", count=_count(m[1]))),
    (rf"{NUMBER} houses in (.+)", lambda m: Phrase("{count} houses in {place}", count=_count(m[1]), place=m[2])),
    (rf"clear hazard area (\S+) \({NUMBER} m²\)", lambda m: Phrase("clear hazard area {code} ({area} m²)",
                                                                  code=m[1], area=_count(m[2]))),
    (r"no (\w+) works in the registry; the plan proposes one",
     lambda m: Phrase("no {sector} works in the registry; the plan proposes one", sector=_sector(m[1]))),
    (r"no (\w+) works in the registry; it cannot become ready",
     lambda m: Phrase("no {sector} works in the registry; it cannot become ready", sector=_sector(m[1]))),
    (rf"(\S+): {NUMBER} households wait but only {NUMBER} houses are built or planned; the plan proposes {NUMBER} more",
     lambda m: Phrase("{place}: {households} households wait but only {houses} houses are built or planned; "
                      "the plan proposes {more} more", place=m[1], households=_count(m[2]), houses=_count(m[3]),
                      more=_count(m[4]))),
    (r"no budget figures in the registry or the scenario: money does not limit this plan",
     lambda m: Phrase("no budget figures in the registry or the scenario: money does not limit this plan")),
    (r"budget for (\d+) missing: the plan carries ([\d,]+\.\d\d) bn AZN forward",
     lambda m: Phrase("budget for {year} missing: the plan carries {amount} bn AZN forward", year=m[1],
                      amount=places(float(m[2].replace(",", "")), 2))),
    (rf"{NUMBER} houses of unknown size are taken to fit the largest household of their village",
     lambda m: Phrase("{count} houses of unknown size are taken to fit the largest household of their village",
                      count=_count(m[1]))),
    (rf"{NUMBER} households need more than (\d+) rooms, more than any house planned; "
     "they stay unplaced until larger houses are planned",
     lambda m: Phrase("{count} households need more than {rooms} rooms, more than any house planned; "
                      "they stay unplaced until larger houses are planned", count=_count(m[1]), rooms=m[2])),
)  # fmt: skip
COMPILED = tuple((re.compile(pattern), make) for pattern, make in SHAPES)


def phrase(text: str) -> str:
    """The stored sentence as a Phrase when its shape is known (its English is unchanged), else as it is."""
    for pattern, make in COMPILED:
        if match := pattern.fullmatch(text):
            said = make(match)
            return said if said == text else text  # a shape that would not say the same English is not used
    return text
