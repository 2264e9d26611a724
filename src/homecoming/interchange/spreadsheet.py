"""What a cell of an exported spreadsheet (CSV or XLSX) may hold: text that never runs as a formula.

A spreadsheet program runs a cell that begins with =, +, -, @ (and, in some, a tab or carriage return) as a
formula: a household named `=HYPERLINK("http://x","y")` would become a live link in the registrar's copy. Such a
text cell is written with a leading apostrophe, the spreadsheet's own mark for "this is text"; numbers, dates and
empty cells are written as they are. Reading a file back removes that apostrophe again, so an export re-imports
unchanged.

XLSX (XML) cannot hold most C0 control characters, and a CSV cell holding one confuses the programs that read it:
every control character other than tab, line feed and carriage return is written as U+FFFD (the replacement
character), so an export never fails on text stored before the input rules refused such characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
REPLACEMENT = "\ufffd"


def safe_cell(value: Any) -> Any:
    """The value as an export writes it: text neutralised and cleaned, anything else unchanged."""
    if not isinstance(value, str):
        return value
    text = CONTROL_CHARACTERS.sub(REPLACEMENT, value)
    return TEXT_MARK + text if text.startswith(FORMULA_PREFIXES) else text


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


def read_cell(value: Any) -> Any:
    """A cell as read from a file: the apostrophe `safe_cell` put before a formula character is taken off."""
    if isinstance(value, str) and value.startswith(TEXT_MARK) and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value
