"""An OpenRosa form instance (the XML ODK Collect posts as `xml_submission_file`) and its attachments, read into
what the review queue keeps: the form, its version, the instanceID and the answers, and the checked photographs.

The XML comes from the network: it is parsed with entities and the network off (no XXE, no billion laughs), and
photographs pass the same file rules as any upload (`files.checks`: the content must be the image its name says,
it must decode, and a copy without metadata is made).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

from homecoming.errors import RuleViolation
from homecoming.fielddata.forms import BuiltForm
from homecoming.files.checks import check_image
from homecoming.files.store import FileStore, original_key, public_key

INSTANCE_ID_MAX = 64
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True)
class Instance:
    form_id: str
    version: str
    instance_id: str
    answers: dict[str, str]  # leaf element name -> text (groups flattened: field names are unique in a form)


def parse_instance(xml: bytes) -> Instance:
    try:
        root = etree.fromstring(xml, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise RuleViolation("fielddata.bad_xml", f"the submission is not well-formed XML: {exc}") from None
    if root is None:
        raise RuleViolation("fielddata.bad_xml", "the submission is empty")
    answers: dict[str, str] = {}
    for element in root.iter():
        if element is root or not isinstance(element.tag, str) or len(element):
            continue
        answers[etree.QName(element).localname] = (element.text or "").strip()
    form_id = str(root.get("id") or "")
    if not form_id:
        raise RuleViolation("fielddata.bad_xml", "the submission's root element has no form id (`id=`)")
    instance_id = answers.pop("instanceID", "")
    answers.pop("deprecatedID", None)
    if not instance_id or len(instance_id) > INSTANCE_ID_MAX:
        raise RuleViolation("fielddata.no_instance_id",
                            "the submission has no meta/instanceID (or one longer than 64 characters)",
                            {"form_id": form_id})  # fmt: skip
    return Instance(form_id, str(root.get("version") or ""), instance_id, answers)


def checked_files(
    form: BuiltForm, answers: dict[str, str], attachments: dict[str, bytes], max_bytes: int
) -> list[tuple[dict[str, Any], bytes, bytes | None]]:
    """Each image question's file, checked: (its record, the original, the metadata-free copy). A file an answer
    names but the sender did not attach is refused; attachments no answer names are ignored."""
    found = []
    for question in form.spec.questions:
        name = (answers.get(question.name) or "").strip()
        if question.type != "image" or not name:
            continue
        if name not in attachments:
            raise RuleViolation(
                "fielddata.missing_attachment",
                f"{question.name} names the file {name!r}, which was not attached: send the submission again",
                {"field": question.name, "file": name},
            )
        checked = check_image(name, attachments[name], max_bytes)
        record = {"field": question.name, "name": name[:255], "media_type": checked.media_type,
                  "sha256": checked.sha256, "size_bytes": checked.size_bytes,
                  "key": original_key(checked.sha256, checked.suffix),
                  "public_key": public_key(checked.sha256, checked.suffix)}  # fmt: skip
        found.append((record, attachments[name], checked.public_copy))
    return found


def store_files(store: FileStore, files: list[tuple[dict[str, Any], bytes, bytes | None]]) -> list[str]:
    """Put the originals and their public copies in the store; the keys this call added (to undo on failure)."""
    written: list[str] = []
    try:
        for record, original, public in files:
            if store.put(record["key"], original):
                written.append(record["key"])
            if public is not None and store.put(record["public_key"], public):
                written.append(record["public_key"])
    except BaseException:
        for key in written:
            store.remove(key)
        raise
    return written
