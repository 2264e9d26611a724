"""The per-session CSRF token: every form posts it back in a hidden field, and an API write made with the session
cookie sends it in a header. Another site can make a browser send the cookie, never read the token."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping

from fastapi import Request

from homecoming.errors import Forbidden

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"  # the same token, sent by a script writing to the API with the session cookie
_CSRF_KEY = "csrf"


def csrf_token(request: Request) -> str:
    """The session's token, made on first use; every form posts it back in a hidden field."""
    token = request.session.get(_CSRF_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[_CSRF_KEY] = token
    return str(token)


def check_csrf(request: Request, posted: Mapping[str, str]) -> None:
    """A post without this session's token comes from another site (or an old tab): refused, nothing read."""
    if not _is_session_token(request, posted.get(CSRF_FIELD, "")):
        raise Forbidden(
            "form.csrf",
            "this form has no valid security token (it may come from an older session): open the form again and resend",
        )


def check_csrf_header(request: Request) -> None:
    """An API write made with the session cookie must carry the session's token in the X-CSRF-Token header (another
    site can make a browser send the cookie, never read the token); a bearer-token request needs none."""
    if not _is_session_token(request, request.headers.get(CSRF_HEADER, "")):
        raise Forbidden(
            "auth.csrf",
            f"a write made with the session cookie needs the header {CSRF_HEADER} holding the session's token "
            "(GET /api/auth/csrf); scripts can use a bearer token instead",
        )


def _is_session_token(request: Request, given: str) -> bool:
    expected = str(request.session.get(_CSRF_KEY) or "")
    # Compared as bytes: compare_digest refuses str with characters outside ASCII (a crafted header or field).
    return bool(expected) and bool(given) and hmac.compare_digest(expected.encode(), given.encode())
