"""docs/api.md, written from the app's own route table and access rules (a test keeps the two equal).

python -m homecoming.server.docs > docs/api.md
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from homecoming.config import Settings
from homecoming.http.deps import ACCOUNTS, STAFF, Rule, public
from homecoming.server.app import all_routes, create_app

PREAMBLE = """# HTTP API and pages

`homecoming serve` serves everything below from one process. The OpenAPI document is at `/openapi.json`; it
lists every `/api` operation with its parameters and response shapes (open it in any OpenAPI viewer: the
Swagger UI and ReDoc pages are off because they load their scripts from a CDN).

- **Who**: scripts send `Authorization: Bearer <token>` (from `POST /api/auth/token` with a user name and
  password); pages use the session cookie set by `/login`. Every route declares one rule, listed below; a test
  walks the route table and fails on a route without one. Nobody logged in gets `401`, a role not listed `403`.
  A `data_entry` account changes only records of its own district; a `contractor` account speaks for one
  company and sees only that company's bids and receipts. A token expires (`expires_at`, default 90 days) and
  can be revoked; a page session is kept on the server and ends at log-out, after an hour unused or 8 hours.
  A write to `/api` made with the session cookie must send the session's token as `X-CSRF-Token`
  (`GET /api/auth/csrf`), else `403 auth.csrf`. Failed log-ins are throttled per account and per address
  (`429 auth.throttled` with `Retry-After`) and lock the account after 10 in a row (`403 auth.locked`) until an
  admin unlocks it. See docs/security.md.
- **Lists** take `limit` (1-500, default 50), `offset` and `sort` (a field; `-field` for descending) and answer
  `{"total", "limit", "offset", "items"}`; their filters (`district`, `settlement`, `status`, `sector`, ...) are
  in the OpenAPI document.
- **Changes** send the `version` they read (and an optional `comment`); a stale version gets `409` with the
  current record in `error.details.current`. Every create, update and delete is written to the audit trail
  (who, when, before, after, comment) in the same transaction; a refused request writes nothing.
  Procurement writes too (tenders, bids, contracts, inspections, photos, approvals, payments, budget changes,
  price lists, bills of quantities): a create takes its `comment` as a query parameter. Bytes (tender keys,
  sealed bids) are recorded only as their size (`<32 bytes>`), so no sealed price, key or share reaches the
  trail; a record without a code is filed as `<tender>/<bidder>` (bids) or `<contract>/<milestone>/#<id>`
  (inspections, payments). One request is one entry: where it changes more than one record (the share that
  opens the bids, a contract's signature, the payment that completes a contract) the others' before and after
  are kept inside it (`tender_change`, `bid_changes`, `contract_change`). The `homecoming tender ...` and
  `committee ...` commands write the same entries, as the command line's actor (`cli:<operating-system user>`).
- **Errors** always have the shape `{"error": {"code": "...", "message": "...", "details": {...}}}`; invalid
  input is `request.invalid` with one entry per problem in `details.errors`. A database that is busy (SQLite: another
  writer's lock held longer than `HOMECOMING_SQLITE_BUSY_TIMEOUT_S`) or out of reach is `503` with `Retry-After`
  (`database.busy`, `database.unavailable`); nothing was saved, and the same request may simply be sent again.
- **Health**: `GET /healthz` is `200 {"status": "ok"}` while the process answers (no database asked); `GET /readyz`
  is `200 {"status": "ready", "checks": {...}}` when the database answers, its schema is at the newest migration and
  a job worker was heard from in the last minute, else `503` with `health.not_ready` and each check's own code in
  `details.checks` (`health.database_unreachable`, `health.schema_behind`, `health.no_worker`).
- **Public pages and answers** show aggregates only; every count of households or people passes one disclosure
  rule (docs/security.md, "Small counts"): fewer than `HOMECOMING_SMALL_COUNT_THRESHOLD` (5) households is withheld
  (`null`), and so is whatever else would give it back by subtraction. Registrars and admins read exact counts.
- **The official plan**: a planner proposes a finished plan run (`POST /api/plan-runs/{code}/proposal`, `201`); an
  admin who neither made nor proposed it approves it (`POST /api/plan-runs/{code}/approval` with the `version`
  read; the author or proposer gets `403 plan_approvals.own_run`, a planner `403 auth.forbidden`); a proposal is
  withdrawn by a planner or an admin, an approval by an admin (`POST /api/plan-runs/{code}/withdrawal`). Each is one
  audit entry (table `plan_approvals`). The public forecast (the overview, settlement pages, the map's readiness)
  is the run approved last, `GET /api/official-plan`, with `changed_since`: one sentence per kind of registry change
  (hazard areas, land release, works projects, settlements, households) audited after the run read its inputs;
  `404 plan_approvals.no_official_plan` while none is approved. Every other run is a what-if, listed on `/plans`.

| method | path | who may use it |
|---|---|---|
"""


def rules_of(dependant: Dependant) -> list[object]:
    """The access rules (Requires or RequiresInUnit instances, or `public`) anywhere in a route's dependency tree."""
    found: list[object] = []
    for sub in dependant.dependencies:
        if isinstance(sub.call, Rule) or sub.call is public:
            found.append(sub.call)
        found.extend(rules_of(sub))
    return found


def who(rule: object) -> str:
    if rule is public:
        return "anyone (public)"
    assert isinstance(rule, Rule)
    if rule.roles >= set(ACCOUNTS):
        return "any account"
    if rule.roles >= set(STAFF):
        return "any staff account (not contractors)"
    return ", ".join(sorted(rule.roles))


def render(app: FastAPI | None = None) -> str:
    # Only the route table is read: an explicit key, so describing the API makes no key file.
    app = app or create_app(Settings(database_url="sqlite://", secret_key="describing-the-routes-only"))
    rows = sorted(
        (route.path, method, who(rules_of(route.dependant)[0]))
        for route in all_routes(app.routes)
        if isinstance(route, APIRoute)
        for method in route.methods or ()
    )
    return PREAMBLE + "".join(f"| {method} | `{path}` | {rule} |\n" for path, method, rule in rows)


if __name__ == "__main__":
    print(render(), end="")
