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
