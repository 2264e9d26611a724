"""Place names as their readers know them: the Azerbaijani Latin spelling (Ağdam, Füzuli, Şuşa) beside the English
one (Aghdam, Fuzuli, Shusha). The spellings come from the records' own alternative names (GeoNames and the
reference facts); nothing is hard-coded here. The spelling rule itself is the territory's (`territory.names`): the
field forms' choice lists use it too."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request

from homecoming.territory.models import District, Settlement
from homecoming.territory.names import names, settlement_local_name
from homecoming.web import i18n

__all__ = ["alphabetical", "local_by_name", "local_names", "names", "settlement_local_name"]

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
