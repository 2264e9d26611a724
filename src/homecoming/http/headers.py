"""Security headers on every response the app sends: pages, API answers, static files and errors alike.

The Content-Security-Policy allows scripts, styles, images and requests from this site only, and no inline script
or style at all: the pages keep every script in web/static (plans.js) and draw bars as SVG rather than with style
attributes, so the policy needs neither 'unsafe-inline' nor nonces. A script injected into a page would not run.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)
# strict-origin-when-cross-origin rather than no-referrer: with no-referrer browsers send `Origin: null` on this
# site's own form posts, which would defeat a check of the Origin header; other sites see the origin only.
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
)


def with_security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The raw header list with every security header the response does not set itself."""
    present = {name.lower() for name, _ in headers}
    added = [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS if name.encode() not in present]
    return [*headers, *added]


class SecurityHeaders:
    """ASGI middleware: adds the headers to the start of every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": with_security_headers(list(message.get("headers", [])))}
            await send(message)

        await self.app(scope, receive, send_secured)
