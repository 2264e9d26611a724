"""The mine accident form of /mine-accidents: what it posts, as the input of POST /api/mine-accidents (the same
schema and use-case, so the rules are the API's), and the places it offers.

Victims are rows of the form (`victims-0-kind`, ...): a row counts when its kind or outcome is chosen, and every
row up to the last that counts is sent, so a schema error's position is the row's (an empty row between two filled
ones is refused, not skipped)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.mine_action import read_models
from homecoming.phrases import N_
from homecoming.territory import actions as territory_actions
from homecoming.web import i18n

N_("Victim {n}: {field}")  # the summary's label of a victim's field (labels_in)

LABELS = {
    "code": N_("Code"),
    "occurred_on": N_("Date of the accident"),
    "settlement_code": N_("Settlement"),
    "hazard_area_code": N_("Hazard area"),
    "device_type": N_("Device"),
    "activity": N_("Activity at the time"),
    "victims": N_("Victims"),
}
VICTIM_LABELS = {
    "age_group": N_("Age group"),
    "sex": N_("Sex"),
    "kind": N_("Civilian, deminer or military"),
    "outcome": N_("Outcome"),
}
FIELDS = tuple(name for name in LABELS if name != "victims")
VICTIM_FIELDS = tuple(VICTIM_LABELS)
VICTIM_ROWS = 4  # rows shown; the API takes up to 100 victims
NAMES = (*LABELS, *(f"victims-{n}-{name}" for n in range(VICTIM_ROWS) for name in VICTIM_FIELDS))


def labels_in(language: str) -> dict[str, str]:
    """Every field's label in the reader's language (a victim's: "Victim 2: Outcome"), for the form's summary."""
    labels = {name: i18n.gettext(language, label) for name, label in LABELS.items()}
    victim = i18n.gettext(language, "Victim {n}: {field}")
    for n in range(VICTIM_ROWS):
        for name, label in VICTIM_LABELS.items():
            labels[f"victims-{n}-{name}"] = victim.format(n=n + 1, field=i18n.gettext(language, label))
    return labels


def accident_input(posted: Mapping[str, str]) -> dict[str, Any]:
    """The posted text as AccidentCreate's input: empty boxes left out (the schema's defaults apply)."""
    values: dict[str, Any] = {name: posted[name] for name in FIELDS if posted.get(name)}
    rows = [{name: posted.get(f"victims-{n}-{name}", "") for name in VICTIM_FIELDS} for n in range(VICTIM_ROWS)]
    filled = [n for n, row in enumerate(rows) if row["kind"] or row["outcome"]]
    sent = rows[: filled[-1] + 1] if filled else []
    values["victims"] = [{name: value for name, value in row.items() if value} for row in sent]
    return values


def form_context(session: Session, user: User, local_settlements: Mapping[str, str]) -> dict[str, Any]:
    """The places the form offers: settlements the account may record in (in the reader's spelling), hazard areas."""
    settlements = [(code, local_settlements.get(code) or name)
                   for code, name in territory_actions.writable_settlements(session, user)]  # fmt: skip
    areas = [(code, code) for code in read_models.hazard_area_codes(session)]
    return {"settlements": settlements, "hazard_areas": areas, "rows": VICTIM_ROWS}
