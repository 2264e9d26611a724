"""Field data use-cases: the forms an account may fill in, a submission received into the review queue, and a
reviewer's decision on it, whichever door asks (the OpenRosa server, the review page, the command line).

A submission never touches the registry when it arrives: it is checked whole (form version, answers, place,
photographs) and kept as pending. Approving it makes the change through the owning domain's use-case, acting as
the reviewer, so its role, district scope, version check and audit entry are exactly those of any other write;
a refusal there leaves the submission pending and nothing applied.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy.orm import Session

from homecoming.accounts import permissions
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.errors import DomainError, Forbidden, RuleViolation
from homecoming.fielddata import apply, exports, service
from homecoming.fielddata.definitions import FORMS, FormSpec
from homecoming.fielddata.forms import BuiltForm, build_form, spec_of
from homecoming.fielddata.models import FieldSubmission, SubmissionSource, SubmissionStatus
from homecoming.fielddata.rules import check_answers
from homecoming.fielddata.submissions import Instance, checked_files, parse_instance, store_files
from homecoming.files.store import FileStore
from homecoming.territory import scope
from homecoming.versions import check_version

REVIEWERS = tuple(dict.fromkeys(role for spec in FORMS.values() for role in spec.reviewers))  # of any form
SENDERS = (Role.ENUMERATOR, *REVIEWERS)  # who may send a form (each form's own senders: FormSpec.senders)


def may_use(actor: User, spec: FormSpec) -> bool:
    return actor.role in permissions.allowed_roles(*spec.senders)


def visible_forms(session: Session, actor: User | None) -> list[BuiltForm]:
    """The forms this account may fill in (ODK Collect's form list), each at its current version."""
    user = permissions.require_role(actor, *SENDERS)
    built = [build_form(session, spec.form_id) for spec in FORMS.values() if may_use(user, spec)]
    return [form for form in built if form.ready]


def visible_form(session: Session, actor: User | None, form_id: str) -> BuiltForm:
    user = permissions.require_role(actor, *SENDERS)
    _ensure_may_use(user, spec_of(form_id))
    return build_form(session, form_id)


def receive_submission(
    session: Session, actor: User | None, xml: bytes, attachments: dict[str, bytes], *, now: dt.datetime,
    store: FileStore, max_file_bytes: int, source: SubmissionSource = SubmissionSource.OPENROSA,
    comment: str | None = None,
) -> tuple[FieldSubmission, bool]:  # fmt: skip
    """The submission, pending review, and whether it is new: the same instanceID sent again is stored once."""
    user = permissions.require_role(actor, *SENDERS)
    instance = parse_instance(xml)
    existing = service.find(session, instance.instance_id)
    if existing is not None:
        return existing, False
    submission, written = queue(session, user, instance, attachments, now=now, store=store,
                                max_file_bytes=max_file_bytes, source=source)  # fmt: skip
    try:
        audit.record_change(session, user, "create", submission, before=None, comment=comment)
    except BaseException:
        for key in written:
            store.remove(key)
        raise
    return submission, True


def queue(
    session: Session, user: User, instance: Instance, attachments: dict[str, bytes], *, now: dt.datetime,
    store: FileStore, max_file_bytes: int, source: SubmissionSource,
) -> tuple[FieldSubmission, list[str]]:  # fmt: skip
    """Check one instance whole and add it as pending (no audit entry: the caller writes it); the stored keys."""
    spec = spec_of(instance.form_id)
    _ensure_may_use(user, spec)
    form = build_form(session, spec.form_id)
    values = check_answers(form, instance.version, instance.answers)
    place = apply.place_of(session, spec.form_id, values)
    _ensure_in_district(session, user, place)
    files = checked_files(form, instance.answers, attachments, max_file_bytes)
    district = scope.districts_of(session, place)
    submission = service.add(session, instance.instance_id, spec.form_id, instance.version, source, user,
                             min(district) if len(district) == 1 else None, values, [f[0] for f in files],
                             now)  # fmt: skip
    return submission, store_files(store, files)


def import_central_export(
    session: Session, actor: User | None, name: str, content: bytes, *, now: dt.datetime, store: FileStore,
    max_file_bytes: int, form_id: str | None = None, comment: str | None = None,
) -> list[FieldSubmission]:  # fmt: skip
    """An ODK Central export (CSV, or ZIP with media) into the queue: every submission, or none (each refusal
    listed by row); instances already received are skipped. One audit entry for the file."""
    user = permissions.require_role(actor, *SENDERS)
    export = exports.read_central(name, content, form_id)
    return _import(session, user, name, content, export, SubmissionSource.CENTRAL, now, store, max_file_bytes,
                   comment)  # fmt: skip


def import_kobo_export(
    session: Session, actor: User | None, name: str, content: bytes, *, form_id: str, now: dt.datetime,
    store: FileStore, max_file_bytes: int, version: str | None = None, comment: str | None = None,
) -> list[FieldSubmission]:  # fmt: skip
    """A KoboToolbox JSON export (or ZIP with attachments) into the queue, as `import_central_export`."""
    user = permissions.require_role(actor, *SENDERS)
    export = exports.read_kobo(name, content, form_id, version)
    return _import(session, user, name, content, export, SubmissionSource.KOBO, now, store, max_file_bytes, comment)


def _import(
    session: Session, user: User, name: str, content: bytes, export: exports.Export, source: SubmissionSource,
    now: dt.datetime, store: FileStore, max_file_bytes: int, comment: str | None,
) -> list[FieldSubmission]:  # fmt: skip
    added: list[FieldSubmission] = []
    problems: list[dict[str, object]] = []
    written: list[str] = []
    seen: set[str] = set()
    try:
        for row in export.rows:
            if row.instance is None:
                problems.append({"row": row.number, "column": "", "reason": row.problem, "code": "fielddata.bad_row"})
                continue
            if row.instance.instance_id in seen or service.find(session, row.instance.instance_id) is not None:
                continue
            seen.add(row.instance.instance_id)
            try:
                submission, keys = queue(session, user, row.instance, export.media, now=now, store=store,
                                         max_file_bytes=max_file_bytes, source=source)  # fmt: skip
            except DomainError as exc:
                field = str(exc.details.get("field", ""))
                problems.append({"row": row.number, "column": field, "reason": str(exc.message), "code": exc.code,
                                 "instance_id": row.instance.instance_id})  # fmt: skip
                continue
            written += keys
            added.append(submission)
        if problems:
            raise RuleViolation(
                "fielddata.import_refused",
                f"{name}: {len(problems)} of {len(export.rows)} submissions refused; nothing was imported",
                {"file": name, "errors": problems, "error_count": len(problems)},
            )
        digest = hashlib.sha256(content).hexdigest()
        summary = {"file": name, "sha256": digest, "source": str(source), "added": len(added),
                   "unchanged": len(export.rows) - len(added)}  # fmt: skip
        audit.record_import(session, user.username, "field_submissions", f"{source}-{digest[:12]}", summary, comment)
    except BaseException:
        for key in written:
            store.remove(key)
        raise
    return added


def visible_queue(session: Session, actor: User | None) -> list[FieldSubmission]:
    """What waits for this reviewer: the forms its role reviews; a district clerk's own district only."""
    user = permissions.require_role(actor, *REVIEWERS)
    forms = [spec.form_id for spec in FORMS.values() if user.role in permissions.allowed_roles(*spec.reviewers)]
    return service.pending(session, forms, user.district_id if user.role == Role.DATA_ENTRY else None)


def visible_submission(session: Session, actor: User | None, code: str) -> FieldSubmission:
    user = permissions.require_role(actor, *REVIEWERS)
    submission = service.get(session, code)
    _ensure_may_review(session, user, submission)
    return submission


def differences(session: Session, actor: User | None, code: str) -> apply.Changes:
    return apply.differences(session, visible_submission(session, actor, code))


def approve_submission(
    session: Session, actor: User | None, code: str, *, now: dt.datetime, store: FileStore, version: int,
    record_version: int | None = None, comment: str | None = None,
) -> FieldSubmission:  # fmt: skip
    """Apply the submission through its domain's use-case (whose audit entry names the submission)."""
    submission = visible_submission(session, actor, code)
    assert actor is not None
    check_version(submission, version)
    service.ensure_pending(submission)
    said = f"field submission {submission.code}" + (f": {comment}" if comment else "")
    record = apply.apply(session, actor, submission, store, record_version=record_version, comment=said)
    applied = (record.__tablename__, audit.record_code(record))
    return service.decide(session, submission, SubmissionStatus.APPROVED, actor, now, applied=applied)


def reject_submission(
    session: Session, actor: User | None, code: str, reason: str, *, now: dt.datetime, version: int,
    comment: str | None = None,
) -> FieldSubmission:  # fmt: skip
    return _send_back(session, actor, code, reason, SubmissionStatus.REJECTED, now, version, comment)


def request_correction(
    session: Session, actor: User | None, code: str, reason: str, *, now: dt.datetime, version: int,
    comment: str | None = None,
) -> FieldSubmission:  # fmt: skip
    """Sent back to the enumerator, who corrects it in ODK Collect and sends it again (a new instance)."""
    return _send_back(session, actor, code, reason, SubmissionStatus.CORRECTION, now, version, comment)


def _send_back(
    session: Session, actor: User | None, code: str, reason: str, status: SubmissionStatus, now: dt.datetime,
    version: int, comment: str | None,
) -> FieldSubmission:  # fmt: skip
    submission = visible_submission(session, actor, code)
    assert actor is not None
    if not reason.strip():
        raise RuleViolation("fielddata.reason_required", "say why, so the enumerator knows what to do",
                            {"field": "reason"})  # fmt: skip
    check_version(submission, version)
    before = audit.snapshot(submission)
    service.decide(session, submission, status, actor, now, reason=reason.strip()[:2000])
    audit.record_change(session, actor, "update", submission, before=before, comment=comment)
    return submission


def _ensure_may_use(user: User, spec: FormSpec) -> None:
    if not may_use(user, spec):
        raise Forbidden(
            "fielddata.form_not_allowed",
            f"the role {user.role} may not send the form {spec.form_id}",
            {"form_id": spec.form_id, "allowed": sorted(permissions.allowed_roles(*spec.senders))},
        )


def _ensure_in_district(session: Session, user: User, place: scope.Place) -> None:
    """An enumerator reports from its own district only; a district clerk sending a form is bound as it writes."""
    if user.role != Role.ENUMERATOR:
        scope.ensure_may_write(session, user, place)
        return
    districts = scope.districts_of(session, place)
    if districts != {user.district_id}:
        raise Forbidden(
            "fielddata.outside_district",
            f"this enumerator account reports from its own district only; the {place.settlement_field} answered "
            "lies in another district",
            {"field": place.settlement_field},
        )


def _ensure_may_review(session: Session, user: User, submission: FieldSubmission) -> None:
    spec = spec_of(submission.form_id)
    permissions.require_role(user, *spec.reviewers)
    if user.role == Role.DATA_ENTRY:
        scope.ensure_may_write(session, user, scope.Place(district_id=submission.district_id))
