"""Place names as their readers know them: the Azerbaijani Latin spelling (Ağdam, Füzuli, Şuşa) beside the English
one (Aghdam, Fuzuli, Shusha). The spellings come from the records' own alternative names (GeoNames and the
reference facts); nothing is hard-coded here. The spelling rule itself is the territory's (`territory.names`): the
field forms' choice lists use it too."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request

from homecoming.territory import read_models
from homecoming.territory.names import names, settlement_local_name
from homecoming.web import i18n

AZERBAIJANI_ALPHABET = "abcçdeəfgğhxıijkqlmnoöprsştuüvyz"


def alphabetical(name: str) -> list[int]:
    """A sort key in the order of the Azerbaijani alphabet (Ç after C, Ə after E, X after H, I without dot before i)."""
    folded = name.replace("I", "ı").replace("İ", "i").lower()
    return [AZERBAIJANI_ALPHABET.find(c) if c in AZERBAIJANI_ALPHABET else 100 + ord(c) for c in folded]


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


def settlement_names(request: Request, session: Session) -> dict[str, str]:
    """Every settlement's name by its code, in the reader's spelling, a transliteration marked: for a page that holds
    only codes (a plan's data gaps name their places by code in running text)."""
    local = marked(request, local_names(request, session)["local_settlements"])
    return {s.code: local.get(s.code) or s.name for s in read_models.settlements(session)}


def marked(request: Request, spellings: dict[str, str]) -> dict[str, str]:
    """Spellings as text to show as they are (a script's tooltips, running text), where the pages' `place` filter
    does not run: a transliteration says so, in the reader's language."""
    language = i18n.request_language(request)
    return {code: i18n.spelt(language, spelling) for code, spelling in spellings.items()}


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


def district_options(request: Request, session: Session) -> list[tuple[str, str]]:
    """Every district as a list's filter offers it: (code, name in the reader's spelling), in alphabetical order."""
    local = i18n.request_language(request) == i18n.LOCAL_LANGUAGE
    shown = [
        (d.code, (names(d.name, d.alt_names)[0] if local else None) or d.name) for d in read_models.districts(session)
    ]
    return sorted(shown, key=lambda option: alphabetical(option[1]))


def settlement_options(request: Request, session: Session, district: str | None) -> list[tuple[str, str]]:
    """The settlements (of one district when given) as a list's filter offers them, like `district_options`."""
    language = i18n.request_language(request)
    local = language == i18n.LOCAL_LANGUAGE
    shown = [
        (
            s.code,
            i18n.spelt(language, spelling) if local and (spelling := settlement_local_name(s, s.district)) else s.name,
        )
        for s in read_models.settlements(session)
        if district is None or s.district.code == district
    ]
    return sorted(shown, key=lambda option: alphabetical(option[1]))
