"""A place's Azerbaijani Latin spelling (Ağdam, Füzuli, Şuşa) beside its English name (Aghdam, Fuzuli, Shusha), taken
from the record's own alternative names (GeoNames and the reference facts): the pages and the field forms' choice
lists both show it."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Protocol


class Named(Protocol):
    """A district or a settlement as far as its names go (a record or its read model)."""

    @property
    def name(self) -> str: ...
    @property
    def alt_names(self) -> str | None: ...


AZERBAIJANI_LETTERS = set("əğıöüşçƏĞİÖÜŞÇ")
OTHER_NAMES_SHOWN = 5
LIKENESS = 0.7  # below this an alternative is another name, not the same name spelt in Azerbaijani
# How the English spellings write the Azerbaijani letters (Şuşa -> Shusha, Cəbrayıl -> Jabrayil, Xocalı -> Khojaly)
IN_ENGLISH = str.maketrans({"ə": "a", "ğ": "gh", "ı": "i", "ö": "o", "ü": "u", "ş": "sh", "ç": "ch", "c": "j",
                            "x": "kh", "q": "g"})  # fmt: skip


def names(name: str, alt_names: str | None) -> tuple[str | None, list[str]]:
    """The Azerbaijani Latin spelling and a few other Latin spellings.

    Of the alternatives written in the Azerbaijani alphabet with one of its own letters, the spelling is the one
    whose English transliteration is nearest the English name: GeoNames also lists older names and Turkish or
    transliterated forms (Avşar, not Üzeyirkənd, for Avshar; none of Hocalı Rayonu for Khojaly). A spelling with
    none of those letters is the Azerbaijani one when the English name is exactly its transliteration (Zabux for
    Zabukh, Hindarx for Hindarkh, Birinci Zobucuq for Birinji Zobujug)."""
    others = [n.strip() for n in (alt_names or "").split("|") if n.strip() and n.strip() != name]
    azerbaijani = [n for n in others if AZERBAIJANI_LETTERS & set(n) and _latin(n) and _likeness(n, name) >= LIKENESS]
    exact = [n for n in others if n.isascii() and n.lower().translate(IN_ENGLISH) == name.lower()]
    local = max(azerbaijani, key=lambda n: _likeness(n, name), default=exact[0] if exact else None)
    latin = [n for n in others if n != local and _latin(n)]
    return local, latin[:OTHER_NAMES_SHOWN]


def _latin(name: str) -> bool:
    return all(c.isascii() or c in AZERBAIJANI_LETTERS for c in name)


def _likeness(azerbaijani: str, english: str) -> float:
    return SequenceMatcher(None, azerbaijani.lower().translate(IN_ENGLISH), english.lower()).ratio()


def settlement_local_name(settlement: Named, district: Named) -> str | None:
    """A town named after its district (Shusha in Shusha) takes the district's spelling, from the reference facts;
    GeoNames' list for the town may lack it or hold another form."""
    if settlement.name == district.name and (local := names(district.name, district.alt_names)[0]):
        return local
    return names(settlement.name, settlement.alt_names)[0]
