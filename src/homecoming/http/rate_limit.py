"""A per-address limit on how often an anonymous write may be sent (filing a grievance): a sliding window kept in
the server process.

The log-in throttle (accounts.logins) counts failures in the database because they must survive restarts and be
shared by every process; a flood of anonymous filings only needs slowing down where it arrives, and keeping the
addresses in memory keeps them out of the database (an address is personal data). Each server process keeps its
own window, so N processes let N times the limit through at most: a reverse proxy's limit is the outer wall."""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import deque

from homecoming.errors import TooManyRequests
from homecoming.phrases import Phrase

SWEEP_ABOVE_KEYS = 10_000  # past this many addresses remembered, forget every expired one (else only the caller's)


class SlidingWindow:
    """At most `limit` events per key within `window`; `hit` records one or refuses it (429 with Retry-After)."""

    def __init__(self, name: str, limit: int, window: dt.timedelta) -> None:
        self.name = name
        self.limit = limit
        self.window = window
        self._events: dict[str, deque[dt.datetime]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, now: dt.datetime) -> None:
        with self._lock:
            cutoff = now - self.window
            if len(self._events) > SWEEP_ABOVE_KEYS:
                self._forget_before(cutoff)
            events = self._events.setdefault(key, deque())
            while events and events[0] <= cutoff:
                events.popleft()
            if len(events) >= self.limit:
                wait_s = max(1, math.ceil((events[0] + self.window - now).total_seconds()))
                raise TooManyRequests(
                    f"{self.name}.too_many",
                    Phrase("too many sent from your address: try again in {minutes} minutes",
                           minutes=math.ceil(wait_s / 60)),
                    {"retry_after_s": wait_s, "limit": self.limit, "window_s": int(self.window.total_seconds())},
                )  # fmt: skip
            events.append(now)

    def _forget_before(self, cutoff: dt.datetime) -> None:
        """Drop events older than the window, and keys left with none (memory stays bounded by recent senders)."""
        for key in list(self._events):
            events = self._events[key]
            while events and events[0] <= cutoff:
                events.popleft()
            if not events:
                del self._events[key]


def filing_window(app_state: object, limit: int) -> SlidingWindow:
    """The server's one window for grievance filings (the API and the page's form count together)."""
    window: SlidingWindow | None = getattr(app_state, "grievance_filings", None)
    if window is None or window.limit != limit:
        window = SlidingWindow("grievances", limit, dt.timedelta(hours=1))
        setattr(app_state, "grievance_filings", window)  # noqa: B010
    return window
