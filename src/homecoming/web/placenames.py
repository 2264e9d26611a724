"""Place names as their readers know them: the Azerbaijani Latin spelling (Ağdam, Füzuli, Şuşa) beside the English
one (Aghdam, Fuzuli, Shusha). The spellings come from the records' own alternative names (GeoNames and the
reference facts); nothing is hard-coded here."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request

from homecoming.territory.models import District, Settlement
from homecoming.web import i18n

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


def settlement_local_name(settlement: Settlement, district: District) -> str | None:
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
    districts = {d.id: d for d in session.scalars(select(District))}
    found["local_districts"] = {d.code: local for d in districts.values() if (local := names(d.name, d.alt_names)[0])}
    found["local_settlements"] = {
        s.code: local
        for s in session.scalars(select(Settlement))
        if (local := settlement_local_name(s, districts[s.district_id]))
    }
    return found


def local_by_name(request: Request, session: Session) -> dict[str, str]:
    """Districts' and settlements' Azerbaijani spellings by English name, for a page that only has the names
    (heritage sites); a name two places share with different spellings is left out (else none: English reader)."""
    if i18n.request_language(request) != i18n.LOCAL_LANGUAGE:
        return {}
    spellings: dict[str, set[str | None]] = {}
    districts = {d.id: d for d in session.scalars(select(District))}
    for d in districts.values():
        spellings.setdefault(d.name, set()).add(names(d.name, d.alt_names)[0])
    for s in session.scalars(select(Settlement)):
        spellings.setdefault(s.name, set()).add(settlement_local_name(s, districts[s.district_id]))
    return {name: local for name, found in spellings.items() if len(found) == 1 for local in found if local}
