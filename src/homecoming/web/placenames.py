"""Place names as their readers know them: the Azerbaijani Latin spelling (Ağdam, Füzuli, Şuşa) beside the English
one (Aghdam, Fuzuli, Shusha). The spellings come from the records' own alternative names (GeoNames and the
reference facts); nothing is hard-coded here."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any, Protocol

from sqlalchemy.orm import Session
from starlette.requests import Request

from homecoming.territory import read_models
from homecoming.web import i18n


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
    transliterated forms (Avşar, not Üzeyirkənd, for Avshar; none of Hocalı Rayonu for Khojaly)."""
    others = [n.strip() for n in (alt_names or "").split("|") if n.strip() and n.strip() != name]
    azerbaijani = [n for n in others if AZERBAIJANI_LETTERS & set(n) and _latin(n) and _likeness(n, name) >= LIKENESS]
    local = max(azerbaijani, key=lambda n: _likeness(n, name), default=None)
    latin = [n for n in others if n != local and _latin(n)]
    return local, latin[:OTHER_NAMES_SHOWN]


def _latin(name: str) -> bool:
    return all(c.isascii() or c in AZERBAIJANI_LETTERS for c in name)


def _likeness(azerbaijani: str, english: str) -> float:
    return SequenceMatcher(None, azerbaijani.lower().translate(IN_ENGLISH), english.lower()).ratio()


AZERBAIJANI_ALPHABET = "abcçdeəfgğhxıijkqlmnoöprsştuüvyz"


def alphabetical(name: str) -> list[int]:
    """A sort key in the order of the Azerbaijani alphabet (Ç after C, Ə after E, X after H, I without dot before i)."""
    folded = name.replace("I", "ı").replace("İ", "i").lower()
    return [AZERBAIJANI_ALPHABET.find(c) if c in AZERBAIJANI_ALPHABET else 100 + ord(c) for c in folded]


def settlement_local_name(settlement: Named, district: Named) -> str | None:
    """A town named after its district (Shusha in Shusha) takes the district's spelling, from the reference facts;
    GeoNames' list for the town may lack it or hold another form."""
    if settlement.name == district.name and (local := names(district.name, district.alt_names)[0]):
        return local
    return names(settlement.name, settlement.alt_names)[0]


def local_names(request: Request, session: Session) -> dict[str, Any]:
    """Settlements' and districts' Azerbaijani spellings by code, for a page read in Azerbaijani (else none)."""
    found: dict[str, Any] = {"local_settlements": {}, "local_districts": {}}
    if i18n.request_language(request) != i18n.LOCAL_LANGUAGE:
        return found
    districts = read_models.districts(session)
    found["local_districts"] = {d.code: local for d in districts if (local := names(d.name, d.alt_names)[0])}
    found["local_settlements"] = {
        s.code: local for s in read_models.settlements(session) if (local := settlement_local_name(s, s.district))
    }
    return found


def local_by_name(request: Request, session: Session) -> dict[str, str]:
    """Districts' and settlements' Azerbaijani spellings by English name, for a page that only has the names
    (heritage sites); a name two places share with different spellings is left out (else none: English reader)."""
    if i18n.request_language(request) != i18n.LOCAL_LANGUAGE:
        return {}
    spellings: dict[str, set[str | None]] = {}
    for d in read_models.districts(session):
        spellings.setdefault(d.name, set()).add(names(d.name, d.alt_names)[0])
    for s in read_models.settlements(session):
        spellings.setdefault(s.name, set()).add(settlement_local_name(s, s.district))
    return {name: local for name, found in spellings.items() if len(found) == 1 for local in found if local}
