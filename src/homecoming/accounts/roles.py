"""The roles an account may hold: plain names, importable without the database layer (the command line lists them
in `homecoming admin create --help` without loading SQLAlchemy)."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """What a person may do; `public` is nobody logged in and is never stored on an account."""

    PUBLIC = "public"
    VIEWER = "viewer"
    DATA_ENTRY = "data_entry"  # edits the records of one district (User.district_id)
    PLANNER = "planner"
    MINE_ACTION_OFFICER = "mine_action_officer"
    REGISTRAR = "registrar"  # the only role that sees household personal data
    PROCUREMENT_OFFICER = "procurement_officer"
    ADMIN = "admin"
    CONTRACTOR = "contractor"  # a company's account (User.bidder_id): its own bids and receipts only
    ENUMERATOR = "enumerator"  # sends field forms (ODK Collect) from one district (User.district_id); reviewed first


ACCOUNTS = tuple(role for role in Role if role != Role.PUBLIC)  # any logged-in account
# The programme's own people: not companies, and not field enumerators, whose account only sends forms (/odk)
STAFF = tuple(role for role in ACCOUNTS if role not in (Role.CONTRACTOR, Role.ENUMERATOR))
