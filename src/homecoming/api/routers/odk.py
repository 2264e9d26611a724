"""The OpenRosa server ODK Collect (and KoboCollect) speaks: the form list, a form and its manifest, and submissions.

Collect asks without credentials first and sends them when challenged (401 with WWW-Authenticate). Accounts log
in with HTTP Basic, the same login rule as the pages (throttling, lockout, argon2id): Basic sends the password with
every request, so a server must be reached over HTTPS only (docs/field-data.md). HTTP Digest is not offered: it
needs the server to keep an MD5 of each password, which argon2id hashes exist to avoid. Scripts may use a bearer
token instead. Every answer carries X-OpenRosa-Version: 1.0.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Annotated
from xml.sax.saxutils import escape

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from homecoming.accounts import read_models as accounts_read_models
from homecoming.accounts.models import User
from homecoming.config import Settings
from homecoming.errors import RuleViolation, Unauthorized
from homecoming.fielddata import actions
from homecoming.fielddata.forms import CHOICES_MEDIA, BuiltForm
from homecoming.http.deps import DbSession, Rule, file_store, log_in, optional_user, server_now

router = APIRouter(prefix="/odk", tags=["field data (OpenRosa)"])
OPENROSA = {"X-OpenRosa-Version": "1.0"}
CHALLENGE = {**OPENROSA, "WWW-Authenticate": 'Basic realm="Homecoming", charset="UTF-8"'}
XML = "text/xml; charset=utf-8"
SUBMISSION_FIELD = "xml_submission_file"


class FieldAccount(Rule):
    """The rule of the OpenRosa routes: the account behind HTTP Basic (or a bearer token), challenged when absent."""

    def __call__(self, request: Request, session: DbSession) -> User:
        header = request.headers.get("authorization", "")
        if header[:6].lower() == "basic ":
            username, password = _basic(header[6:])
            try:
                user = log_in(request, username, password)
            except Unauthorized as exc:
                raise Unauthorized(exc.code, exc.message, exc.details, headers=CHALLENGE) from None
            return self.check(accounts_read_models.account(session, user.id))
        if header[:7].lower() == "bearer ":
            return self.check(optional_user(request, session))
        raise Unauthorized(
            "odk.credentials_required",
            "log in with the account's name and password (HTTP Basic, over HTTPS) or a bearer token",
            headers=CHALLENGE,
        )


Sender = Annotated[User, Depends(FieldAccount(*actions.SENDERS))]


def _basic(encoded: str) -> tuple[str, str]:
    try:
        username, _, password = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise Unauthorized("odk.bad_credentials", "the Basic credentials are not base64 of name:password",
                           headers=CHALLENGE) from None  # fmt: skip
    return username, password


def _xml(body: str, status_code: int = 200) -> Response:
    return Response(body, status_code=status_code, media_type=XML, headers=OPENROSA)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _md5(content: bytes) -> str:
    return "md5:" + hashlib.md5(content, usedforsecurity=False).hexdigest()


def _form_entry(base: str, form: BuiltForm) -> str:
    xform = form.xform().encode()
    return (
        f"<xform><formID>{escape(form.form_id)}</formID><name>{escape(form.title[0])}</name>"
        f"<version>{escape(form.version)}</version><hash>{_md5(xform)}</hash>"
        f"<downloadUrl>{base}/odk/forms/{form.form_id}.xml</downloadUrl>"
        f"<manifestUrl>{base}/odk/forms/{form.form_id}/manifest</manifestUrl></xform>"
    )


@router.get("/formList")
def form_list(request: Request, session: DbSession, user: Sender) -> Response:
    """The forms this account may fill in (OpenRosa form list API)."""
    forms = actions.visible_forms(session, user)
    entries = "".join(_form_entry(_base(request), form) for form in forms)
    return _xml(f'<?xml version="1.0" encoding="UTF-8"?><xforms xmlns="http://openrosa.org/xforms/xformsList">'
                f"{entries}</xforms>")  # fmt: skip


@router.get("/forms/{form_id}.xml")
def form_download(session: DbSession, user: Sender, form_id: str) -> Response:
    """The XForm, at its current version."""
    return _xml(actions.visible_form(session, user, form_id).xform())


@router.get("/forms/{form_id}/manifest")
def form_manifest(request: Request, session: DbSession, user: Sender, form_id: str) -> Response:
    """The form's media: its choice lists as CSV."""
    form = actions.visible_form(session, user, form_id)
    url = f"{_base(request)}/odk/forms/{form_id}/media/{CHOICES_MEDIA}"
    return _xml(
        '<?xml version="1.0" encoding="UTF-8"?><manifest xmlns="http://openrosa.org/xforms/xformsManifest">'
        f"<mediaFile><filename>{CHOICES_MEDIA}</filename><hash>{_md5(form.choices_csv())}</hash>"
        f"<downloadUrl>{url}</downloadUrl></mediaFile></manifest>"
    )


@router.get(f"/forms/{{form_id}}/media/{CHOICES_MEDIA}")
def form_media(session: DbSession, user: Sender, form_id: str) -> Response:
    content = actions.visible_form(session, user, form_id).choices_csv()
    return Response(content, media_type="text/csv; charset=utf-8", headers=OPENROSA)


@router.head("/submission")
def submission_probe(request: Request, user: Sender) -> Response:
    """Collect's first request before it sends: credentials, and how large a submission may be."""
    limit = str(_settings(request).max_submission_bytes)
    return Response(status_code=204, headers={**OPENROSA, "X-OpenRosa-Accept-Content-Length": limit})


@router.post("/submission", status_code=201)
async def submit(request: Request, session: DbSession, user: Sender) -> Response:
    """A filled-in form (`xml_submission_file`) and its photographs, into the review queue; sent twice, kept once."""
    posted = await request.form()
    xml, attachments = b"", {}
    for name, value in posted.multi_items():
        if isinstance(value, UploadFile):
            content = await value.read()
            if name == SUBMISSION_FIELD:
                xml = content
            elif name != "*isIncomplete*":
                attachments[value.filename or name] = content
    if not xml:
        raise RuleViolation("odk.no_submission", f"the form's XML is missing: send it as {SUBMISSION_FIELD}")
    settings = _settings(request)
    submission, new = actions.receive_submission(
        session, user, xml, attachments, now=server_now(request), store=file_store(request),
        max_file_bytes=settings.max_file_bytes,
    )  # fmt: skip
    said = escape(f"{submission.code} " + ("received; it waits for review" if new else "received before; kept once"))
    return _xml(f'<OpenRosaResponse xmlns="http://openrosa.org/http/response"><message nature="submit_success">'
                f"{said}</message></OpenRosaResponse>", status_code=201)  # fmt: skip


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings
