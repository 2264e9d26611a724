"""One spelling for a name written in Azerbaijani Latin, Azerbaijani or Russian Cyrillic, or their English and Russian
romanisations, so that the duplicate search compares sounds rather than alphabets.

Məmmədova (Azerbaijani Latin), Mammadova (passport English), Mamedova (Russian romanisation) and Мамедова (Cyrillic)
all become `mamadova` / `mamedova`, within a letter of each other, which the fuzzy name comparison then forgives.
Written by hand: no maintained library transliterates Azerbaijani (Unidecode drops ə to `@`), and the table is short.
"""

from __future__ import annotations

import re
import unicodedata

# Cyrillic (Russian and Azerbaijani Cyrillic) to the English-style romanisation Azerbaijani passports use.
CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ғ": "gh", "д": "d", "е": "e", "ё": "yo", "ә": "a", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "ј": "y", "к": "k", "ҝ": "g", "л": "l", "м": "m", "н": "n", "о": "o", "ө": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ҹ": "j",
    "ш": "sh", "щ": "shch", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
# Azerbaijani Latin letters to the same romanisation (c and x are Azerbaijani sounds j and kh).
AZERBAIJANI = {"ə": "a", "ş": "sh", "ç": "ch", "ğ": "gh", "ı": "i", "ö": "o", "ü": "u", "x": "kh", "q": "g", "c": "j"}
# Spellings the romanisations disagree on, folded to one (applied in order, on the romanised name).
FOLDS = (
    ("dzh", "j"), ("dj", "j"), ("kh", "h"), ("gh", "g"), ("h", "g"),  # Russian writes the Azerbaijani h as г (g)
    ("yev", "ev"), ("ye", "e"), ("yu", "u"), ("iy", "i"), ("ay", "ai"), ("ey", "ei"), ("oy", "oi"), ("uy", "ui"),
    ("e", "a"),  # Azerbaijani ə is `a` in English (Mammadov) and `e` in Russian (Mamedov)
)  # fmt: skip
DOUBLED = re.compile(r"(.)\1+")
NOT_LETTER = re.compile(r"[^a-z]+")


def romanised(name: str) -> str:
    """The name in lower-case English-style romanisation: the alphabet it was written in no longer shows."""
    text = unicodedata.normalize("NFC", name.strip().lower())
    if "ch" in text:  # an already romanised ç must not have its c read as the Azerbaijani letter c (j)
        text = text.replace("ch", "\u0000")
    out = "".join(CYRILLIC.get(ch, AZERBAIJANI.get(ch, ch)) for ch in text).replace("\u0000", "ch")
    return unicodedata.normalize("NFKD", out).encode("ascii", "ignore").decode()


def name_key(name: str) -> str:
    """The name's comparison key: romanised, variant spellings folded, doubled letters single, letters only."""
    text = NOT_LETTER.sub("", romanised(name))
    for variant, folded in FOLDS:
        text = text.replace(variant, folded)
    return DOUBLED.sub(r"\1", text)
