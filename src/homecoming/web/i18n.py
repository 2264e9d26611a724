"""The pages' languages: gettext catalogues (Babel) chosen per request, and numbers, money and dates in its language.

A language is a folder `src/homecoming/locale/<code>/LC_MESSAGES/messages.mo`: adding one is adding a catalogue
(see docs/translating.md). The reader's choice, in order: the switch's cookie, the browser's Accept-Language,
English. Nothing is installed on the shared Jinja environment per request (two readers may be served at once):
the gettext callables and filters read the language from the page's own context (`page_language`, put there by
`page_context` for every template response).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, negotiate_locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.responses import Response

from homecoming import phrases
from homecoming.phrases import Phrase, catalogue
from homecoming.territory.names import Transliterated
from homecoming.web.terms import IN_ENGLISH

LOCALE_DIR = phrases.LOCALE_DIR  # a test may point it at a copy holding another language
DOMAIN = phrases.DOMAIN
DEFAULT_LANGUAGE = "en"
LOCAL_LANGUAGE = "az"  # the language of the place names' own spelling (Ağdam): shown first when reading it
COOKIE = "homecoming_lang"
COOKIE_MAX_AGE_S = 365 * 24 * 3600
VARY = "Accept-Language"  # and Cookie, which the session middleware adds on every page (they all read the session)


def available_languages(locale_dir: Path | None = None) -> tuple[str, ...]:
    """Every language with a compiled catalogue, English first (the default), then by code."""
    return _languages_in(locale_dir or LOCALE_DIR)


@cache
def _languages_in(locale_dir: Path) -> tuple[str, ...]:
    found = {p.parent.parent.name for p in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}
    return tuple(sorted(found | {DEFAULT_LANGUAGE}, key=lambda code: (code != DEFAULT_LANGUAGE, code)))


@cache
def language_name(code: str) -> str:
    """The language's name in itself (Azərbaycan, English), for the switch."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, LookupError):
        return code
    return name[:1].upper() + name[1:]


def accepted(header: str) -> list[str]:
    """The languages of an Accept-Language header, most wanted first (q=0 means "not this one")."""
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def choose_language(cookie: str | None, accept_language: str | None, languages: tuple[str, ...] | None = None) -> str:
    languages = languages or available_languages()
    if cookie in languages:
        return cookie
    wanted = accepted(accept_language or "")
    # Babel matches az-Latn-AZ or az_AZ to az; a bare "az" also matches a catalogue for az_AZ
    match = negotiate_locale(wanted, list(languages), sep="-") or negotiate_locale(
        [w.split("-")[0] for w in wanted], list(languages), sep="-"
    )
    return match or DEFAULT_LANGUAGE


def request_language(request: Request) -> str:
    return choose_language(request.cookies.get(COOKIE), request.headers.get("accept-language"))


def translations(language: str) -> NullTranslations:
    """The compiled catalogue (English falls back to the msgids themselves when it has none)."""
    return _catalogue(language, LOCALE_DIR)


def _catalogue(language: str, locale_dir: Path) -> NullTranslations:
    return catalogue(language, locale_dir)


def gettext(language: str, message: str) -> str:
    return translations(language).gettext(message)


def say(language: str, text: str, places: Mapping[str, str] | None = None) -> str:
    """A domain sentence in the reader's language: a Phrase is translated and its numbers formatted there; a name
    among its values is spelt as `places` says (English name -> the reader's spelling: web.placenames)."""
    if not isinstance(text, Phrase):
        return text
    values = {name: _value(language, v, places) for name, v in text.values.items()}
    return gettext(language, text.template).format(**values)


def _value(language: str, value: Any, places: Mapping[str, str] | None = None) -> str:
    if isinstance(value, Phrase):
        return say(language, value, places)
    if isinstance(value, tuple):
        return ", ".join(_value(language, v, places) for v in value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.date):  # a day as the reader writes it (a datetime is a date too: its day)
        return format_date(value, "medium", locale=language)
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return format_decimal(value, format="#,##0" + _places(decimals, decimals), locale=language)
    if isinstance(value, int | float):
        return format_decimal(value, format="#,##0", locale=language)
    spelling = (places or {}).get(str(value))  # a code or a name
    return str(value) if spelling is None else spelt(language, spelling)


def mark_language(request: Request, response: Response) -> None:
    """Say the page's language, and that it depends on the reader's: a cache keeps one copy per language."""
    response.headers["Content-Language"] = request_language(request)
    response.headers["Vary"] = VARY


def page_context(request: Request) -> dict[str, Any]:
    """What every template gets: its language and the ones the switch offers."""
    language = request_language(request)
    return {
        "page_language": language,
        "languages": [(code, language_name(code)) for code in available_languages()],
    }


def _language(context: Context) -> str:
    return str(context.get("page_language") or DEFAULT_LANGUAGE)


@pass_context
def _gettext(context: Context, message: str) -> str:
    return translations(_language(context)).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return translations(_language(context)).ngettext(singular, plural, n)


@pass_context
def number(context: Context, value: float | int | Decimal | None, decimals: int = 0, most: int = 0) -> str:
    """A number grouped and with the decimal mark of the page's language (12,000.5 / 12.000,5): `decimals` places
    always, then up to `most` places in all (`most=2`: 5, 2.5, 0.25)."""
    if value is None:
        return ""
    pattern = "#,##0" + _places(decimals, most)
    return format_decimal(value, format=pattern, locale=_language(context))


@pass_context
def percent(context: Context, share: float | None, decimals: int = 0, most: int = 0) -> str:
    """A share (0.42) as a percentage in the page's language (42%, %42)."""
    if share is None:
        return ""
    language = _language(context)
    pattern = str(Locale.parse(language).percent_formats[None].pattern)
    if decimals or most:
        pattern = pattern.replace("#,##0", "#,##0" + _places(decimals, most), 1)
    return format_percent(share, format=pattern, locale=language)


def _places(decimals: int, most: int) -> str:
    shown = "0" * decimals + "#" * max(0, most - decimals)
    return "." + shown if shown else ""


@pass_context
def money(context: Context, amount: float | int | Decimal | None, currency: str = "AZN") -> str:
    """An amount with its currency as the page's language writes it (AZN1,234.50 / 1.234,50 ₼)."""
    if amount is None:
        return ""
    return format_currency(amount, currency, locale=_language(context))


@pass_context
def date(context: Context, value: dt.date | None, form: str = "medium") -> str:
    """A date in the page's language; form is a Babel width (short/medium/long) or a pattern such as "LLLL y"."""
    if value is None:
        return ""
    return format_date(value, form, locale=_language(context))


@pass_context
def term(context: Context, value: object) -> str:
    """A status, sector or kind (stored as a code) in the page's language; see homecoming.web.terms."""
    return word(_language(context), value)


def word(language: str, stored: object) -> str:
    """A stored code in the reader's words, never the code itself (in_progress, ap_mines): its translation, else
    its English words (homecoming.web.terms.IN_ENGLISH, else the code with spaces), translated where they are."""
    code = str(getattr(stored, "value", stored))
    said = gettext(language, code)
    if said != code:
        return said
    return gettext(language, IN_ENGLISH.get(code, code.replace("_", " ")))


@pass_context
def phrase(context: Context, text: str, places: Mapping[str, str] | None = None) -> str:
    return say(_language(context), text, places)


@pass_context
def place(context: Context, name: str, local_name: str | None) -> str:
    """A place as its readers know it: Ağdam for Azerbaijani readers, Aghdam for the others."""
    language = _language(context)
    return spelt(language, local_name) if local_name and language == LOCAL_LANGUAGE else name


@pass_context
def _spelt(context: Context, local_name: str) -> str:
    return spelt(_language(context), local_name)


def spelt(language: str, local_name: str) -> str:
    """A place's Azerbaijani spelling; one made by the transliteration rule, not given by a source, says so."""
    if isinstance(local_name, Transliterated):
        return say(language, Phrase("{name} (transliterated)", name=str(local_name)))
    return local_name


def install(env: Environment) -> None:
    """Newstyle gettext (autoescaped, `_("%(n)s left", n=3)`) that follows each page's language, and the filters."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        number=number, percent=percent, money=money, date=date, term=term, phrase=phrase, place=place, spelt=_spelt
    )
