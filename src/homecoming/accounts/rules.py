"""Pure rules of logging in: how long a throttled caller waits, and when a page session has ended."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class LoginRules:
    """The thresholds of login throttling and lockout (Settings: login_*)."""

    window: dt.timedelta = dt.timedelta(minutes=15)
    failures_per_account: int = 5
    failures_per_address: int = 20
    lock_after: int = 10


@dataclass(frozen=True)
class SessionRules:
    """How long a page session lasts (Settings: session_*) and how often its last use is written down."""

    idle: dt.timedelta = dt.timedelta(minutes=60)
    lifetime: dt.timedelta = dt.timedelta(hours=8)
    touch_every: dt.timedelta = dt.timedelta(minutes=1)  # fewer writes: idle expiry is exact to this much


def retry_after_s(failures: Sequence[dt.datetime], limit: int, window: dt.timedelta, now: dt.datetime) -> int | None:
    """Seconds to wait before the next try, when `failures` (times within the window) reached `limit`; else None.

    The caller may try again once enough of the oldest failures have left the window to bring the count under
    the limit."""
    recent = sorted(at for at in failures if now - at < window)
    if len(recent) < limit:
        return None
    freed_at = recent[len(recent) - limit] + window
    return max(1, math.ceil((freed_at - now).total_seconds()))


def session_ended(last_seen_at: dt.datetime, expires_at: dt.datetime, now: dt.datetime, idle: dt.timedelta) -> bool:
    """Ended when its absolute expiry has come, or when it went unused for `idle` or longer."""
    return now >= expires_at or now - last_seen_at >= idle
