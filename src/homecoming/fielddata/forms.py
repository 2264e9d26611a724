"""The field forms as XLSForm (a workbook) and XForm (what ODK Collect and KoboToolbox run), built from the registry.

Every label is given in each language of the catalogue (`label::English (en)`, `label::Azərbaycan (az)`). The form's
version is a digest of what it asks and of its choice lists, so it changes exactly when a list (a new settlement, a
new hazard area) or a question does: a submission names the version it was filled in, and an unknown one is refused.
The XForm is made by pyxform, the maintained XLSForm converter (its ODK Validate step needs Java and is not run).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from functools import cache

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.errors import NotFound
from homecoming.fielddata.definitions import CHOICE_LABELS, FORMS, VOCABULARIES, FormSpec
from homecoming.mine_action.models import HazardArea, HazardStatus
from homecoming.phrases import catalogue
from homecoming.territory.models import District, Settlement
from homecoming.territory.names import Transliterated, settlement_local_name

LANGUAGES = (("en", "English (en)"), ("az", "Azərbaycan (az)"))  # catalogue code, XLSForm language name
LABELS = tuple(f"label::{name}" for _, name in LANGUAGES)
SURVEY_COLUMNS = ("type", "name", *LABELS, "required", "appearance")
CHOICE_COLUMNS = ("list_name", "name", *LABELS)
CHOICES_MEDIA = "choices.csv"  # the form's choice lists as a media file (manifest), for tools that look codes up


@dataclass(frozen=True)
class BuiltForm:
    spec: FormSpec
    title: tuple[str, ...]  # in each language
    survey: tuple[tuple[str, ...], ...]  # rows of SURVEY_COLUMNS
    choices: tuple[tuple[str, ...], ...]  # rows of CHOICE_COLUMNS
    version: str

    @property
    def form_id(self) -> str:
        return self.spec.form_id

    @property
    def ready(self) -> bool:
        """Every choice list has a choice (a land-release form needs a hazard area to choose)."""
        return set(self.spec.list_names) <= {row[0] for row in self.choices}

    def sheets(self) -> dict[str, list[dict[str, str]]]:
        """The XLSForm as pyxform's dict input: the same rows the workbook holds."""
        return {
            "survey": [dict(zip(SURVEY_COLUMNS, row, strict=True)) for row in self.survey],
            "choices": [dict(zip(CHOICE_COLUMNS, row, strict=True)) for row in self.choices],
            "settings": [self._settings()],
        }

    def _settings(self) -> dict[str, str]:
        return {"form_title": self.title[0], "form_id": self.form_id, "version": self.version,
                "default_language": LANGUAGES[0][1]}  # fmt: skip

    def xlsx(self) -> bytes:
        book = Workbook()
        survey = book.active
        assert survey is not None
        survey.title = "survey"
        for sheet, columns, rows in (
            (survey, SURVEY_COLUMNS, self.survey),
            (book.create_sheet("choices"), CHOICE_COLUMNS, self.choices),
            (book.create_sheet("settings"), tuple(self._settings()), (tuple(self._settings().values()),)),
        ):
            sheet.append(list(columns))
            for row in rows:
                sheet.append(list(row))
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def xform(self) -> str:
        return _xform(self.form_id, self.version, json.dumps(self.sheets(), sort_keys=True))

    def choices_csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CHOICE_COLUMNS)
        writer.writerows(self.choices)
        return out.getvalue().encode()

    def labels(self, language: str = "en") -> dict[str, dict[str, str]]:
        """Choice list -> value -> label in the language (English when the form has no labels in it)."""
        column = 2 + next((n for n, (code, _) in enumerate(LANGUAGES) if code == language), 0)
        found: dict[str, dict[str, str]] = {}
        for row in self.choices:
            found.setdefault(row[0], {})[row[1]] = row[column]
        return found

    def answer_words(self, language: str) -> dict[str, dict[str, str]]:
        """Question name -> value -> label, for the select questions (the review page shows the answer's words)."""
        labels = self.labels(language)
        return {q.name: labels.get(q.list_name, {}) for q in self.spec.questions if q.list_name}


@cache
def _xform(form_id: str, version: str, sheets: str) -> str:
    """Converted once per form and version (pyxform takes tens of milliseconds a form)."""
    from pyxform.xls2xform import convert  # pyxform loads in 0.2 s: only when a form is converted

    return str(convert(json.loads(sheets), form_name="data").xform)


def spec_of(form_id: str) -> FormSpec:
    spec = FORMS.get(form_id)
    if spec is None:
        raise NotFound("fielddata.unknown_form", f"there is no field form {form_id!r}; known: {', '.join(FORMS)}",
                       {"form_id": form_id, "known": sorted(FORMS)})  # fmt: skip
    return spec


def build_form(session: Session, form_id: str) -> BuiltForm:
    spec = spec_of(form_id)
    lists = _registry_lists(session)
    title = tuple(catalogue(code).gettext(spec.title) for code, _ in LANGUAGES)
    survey = tuple(
        (q.type, q.name, *(catalogue(code).gettext(q.label) for code, _ in LANGUAGES), "yes" if q.required else "",
         q.appearance)
        for q in spec.questions
    )  # fmt: skip
    choices = tuple(row for name in spec.list_names for row in (lists[name] if name in lists else _vocabulary(name)))
    digest = hashlib.sha256(json.dumps([title, survey, choices]).encode()).hexdigest()
    return BuiltForm(spec, title, survey, choices, digest[:12])


def build_forms(session: Session) -> list[BuiltForm]:
    return [build_form(session, form_id) for form_id in FORMS]


def _vocabulary(list_name: str) -> tuple[tuple[str, ...], ...]:
    words = VOCABULARIES[list_name]
    return tuple(
        (list_name, value.value, *(catalogue(code).gettext(CHOICE_LABELS[value]) for code, _ in LANGUAGES))
        for value in words
    )


def _sourced(spelling: str | None) -> str | None:
    return None if isinstance(spelling, Transliterated) else spelling


def _registry_lists(session: Session) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The registry's lists: every settlement (English name, Azerbaijani spelling where a source gives one: a
    choice label cannot carry the pages' "transliterated" mark) and the open hazard areas."""
    districts = {d.id: d for d in session.scalars(select(District))}
    settlements = tuple(
        ("settlements", s.code, f"{s.name} ({districts[s.district_id].name})",
         f"{_sourced(settlement_local_name(s, districts[s.district_id])) or s.name} ({districts[s.district_id].name})")
        for s in session.scalars(select(Settlement).order_by(Settlement.code))
    )  # fmt: skip
    areas = tuple(
        ("hazard_areas", code, code, code)
        for code in session.scalars(
            select(HazardArea.code).where(HazardArea.status != HazardStatus.CLOSED).order_by(HazardArea.code)
        )
    )
    return {"settlements": settlements, "hazard_areas": areas}
