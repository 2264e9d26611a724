"""The append-only audit trail: who changed which record, when, from what to what, and why."""
