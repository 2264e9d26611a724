"""One router per registry domain; each route declares its access rule (see homecoming.http.deps)."""
