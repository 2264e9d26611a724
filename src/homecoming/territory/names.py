"""A place's Azerbaijani Latin spelling (Ağdam, Füzuli, Şuşa) beside its English name (Aghdam, Fuzuli, Shusha), taken
from the record's own alternative names (GeoNames and the reference facts): the pages and the field forms' choice
lists both show it."""

from __future__ import annotations

import re
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


# The same convention read the other way, for a place no source spells in Azerbaijani (Khorovlu -> Xorovlu): the
# letters English writes with two (kh -> x, gh -> ğ, ch -> ç, sh -> ş, zh -> j) and j -> c; a word's first G is Q
# and its last g is q (Gubadli -> Qubadlı, Zobujug -> Zobucuq); a last y is ı (Khojaly -> Xocalı); a first I is İ;
# an i after a back vowel (a, ı, o, u) is ı, as vowel harmony has it (Talish -> Talış). It cannot know ə, ö or ü,
# which English writes a, o, u (Tartar is Tərtər): scripts/curate_demo_data.py measures it against every spelling
# the reference gives, and a page marks each spelling made by it as transliterated.
FROM_ENGLISH = {"kh": "x", "gh": "ğ", "ch": "ç", "sh": "ş", "zh": "j", "j": "c"}
BACK_VOWELS = set("aıou")
VOWELS = set("aeiouıəöü")


class Transliterated(str):
    """A spelling made by `transliterate`, not given by a source: wherever it is shown, it says so."""

    __slots__ = ()


def transliterate(english: str) -> Transliterated:
    """The Azerbaijani Latin spelling the convention above gives an English name."""
    return Transliterated(" ".join(_word(w) for w in english.split(" ")))


def _word(english: str) -> str:
    def letter(found: re.Match[str]) -> str:
        written = FROM_ENGLISH[found.group(0).lower()]
        return written.upper() if found.group(0)[0].isupper() else written

    word = re.sub(r"(?i)kh|gh|ch|sh|zh|j", letter, english)
    word = re.sub(r"^G", "Q", re.sub(r"g$", "q", re.sub(r"y$", "ı", re.sub(r"^I", "İ", word))))
    spelt, last_vowel = "", None
    for c in word:
        c = "ı" if c == "i" and last_vowel in BACK_VOWELS else c
        last_vowel = c.lower() if c.lower() in VOWELS else last_vowel
        spelt += c
    return spelt


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
    GeoNames' list for the town may lack it or hold another form. A place no source spells gets the transliteration
    (a `Transliterated`, which pages mark), when the English name shows the English convention (`romanised`)."""
    if settlement.name == district.name and (local := names(district.name, district.alt_names)[0]):
        return local
    if (local := names(settlement.name, settlement.alt_names)[0]) is not None:
        return local
    return transliterate(settlement.name) if romanised(settlement.name) else None


def romanised(english: str) -> bool:
    """Whether the name shows the English convention's own letters (kh, gh, ch, sh, zh, j; a word's first G or last
    g): only then is it known not to be the Azerbaijani spelling already. Vowel harmony alone is no evidence
    (Horadiz is Horadiz, not Horadız), so a name without those letters keeps no transliteration."""
    return any(re.search(r"(?i)kh|gh|ch|sh|zh|j", word) or word.startswith("G") or word.endswith("g")
               for word in english.split(" "))  # fmt: skip
