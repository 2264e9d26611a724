"""A form's refusals in the reader's language, each beside the field it is about.

The schemas and the use-cases say what is wrong in English (the API's messages, which an English reader gets
whole). A reader of another language gets the same said by the error's kind: a whole-record rule's sentence is a
msgid itself (listed below, so it is extracted), a field's error by pydantic's error type, a use-case's refusal by
its stable code, with the values it names. What has no words here yet stays in English rather than go unsaid.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import ErrorDetails

from homecoming.errors import DomainError
from homecoming.phrases import N_, Phrase
from homecoming.web import i18n

DATE = N_("give a date as YYYY-MM-DD, e.g. 2024-05-01")
BY_TYPE = {  # pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/)
    "missing": N_("fill this in"),
    "string_too_short": N_("fill this in"),
    "string_too_long": N_("at most {max_length} characters"),
    "date_from_datetime_parsing": DATE,
    "date_parsing": DATE,
    "date_type": DATE,
    "date_from_datetime_inexact": DATE,
    "enum": N_("choose one of the list"),
    "literal_error": N_("choose one of the list"),
    "list_too_short": N_("give at least {min_length}"),
    "list_too_long": N_("give at most {max_length}"),
    "float_parsing": N_("give a number"),
    "int_parsing": N_("give a whole number"),
    "greater_than_equal": N_("at least {ge}"),
    "less_than_equal": N_("at most {le}"),
}
WHOLE_RECORD_RULES = (  # the schemas' own sentences (households.schemas, mine_action.schemas): msgids as they are
    N_("give both document_type and document_number, or neither"),
    N_("give both lat and lon of the point, or neither"),
    N_("say where it happened: settlement_code, or lat and lon (with district_code)"),
    N_("a point alone needs its district_code"),
)
BY_CODE = {  # the use-cases' refusals a form's field can cause
    "households.born_in_future": N_("the birth date is after today: give the day the person was born"),
    "mine_action.accident_in_future": N_("the date is after today: give the day the accident happened"),
    "mine_action.born_after_accident": N_("the birth date is after the accident"),
    "mine_action.age_group_disagrees": N_("born on that day, the victim was {age} at the accident: choose {group}"),
    "mine_action.hazard_area_elsewhere": N_("this hazard area lies in another district than the accident"),
    "mine_accidents.duplicate_code": N_("an accident with this code is recorded already: give another code"),
}


def schema_words(language: str) -> Any:
    """The `say` of formkit.validation_problems for a reader of `language`."""

    def say(error: ErrorDetails, english: str) -> str:
        if language == i18n.DEFAULT_LANGUAGE:
            return english
        sentence = i18n.gettext(language, english)
        if sentence != english:
            return sentence
        template = BY_TYPE.get(error["type"])
        return _said(language, template, dict(error.get("ctx") or {})) if template else english

    return say


def refusal_words(language: str, exc: DomainError) -> str:
    """A use-case's refusal in the reader's words: its message for English readers, else said by its code (or as
    the Phrase it is, as a record not found is)."""
    template = BY_CODE.get(exc.code)
    if language == i18n.DEFAULT_LANGUAGE or template is None:
        return i18n.say(language, exc.message)
    values = {**exc.details, "group": Phrase(str(exc.details.get("age_group", "")))}
    return _said(language, template, values)


def _said(language: str, template: str, values: dict[str, Any]) -> str:
    named = {name: value for name, value in values.items() if "{" + name + "}" in template}
    return i18n.say(language, Phrase(template, **named))
