"""Which stored text may become a link on a page: a web address (http or https) or a path on this site.

Stored data is not trusted to be a URL, even when the input rules checked it: rows imported before those rules, a
restored backup or a hand-edited database may hold `javascript:` or `data:` addresses. Every template turns stored
text into an `href`/`src` through the `safe_url` filter, which yields None for anything else, so the page shows the
text (or nothing) instead of a link.
"""

from __future__ import annotations

from urllib.parse import urlsplit

WEB_SCHEMES = frozenset({"http", "https"})


def _clean(text: str) -> bool:
    """No space, control character or backslash: browsers drop or reinterpret those inside a URL."""
    return all(" " < ch != "\x7f" for ch in text) and "\\" not in text


def is_web_url(text: object) -> bool:
    """An absolute http(s) address with a host, such as a source's address."""
    if not isinstance(text, str) or not _clean(text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


def is_local_path(text: object) -> bool:
    """A path on this site ("/plans/x"), never one a browser reads as another host ("//evil", "/\\evil")."""
    return isinstance(text, str) and text.startswith("/") and not text.startswith("//") and _clean(text)


def safe_url(value: object) -> str | None:
    """The value when a page may link to it (a web address or a path on this site), otherwise None."""
    if is_web_url(value) or is_local_path(value):
        return str(value)
    return None
