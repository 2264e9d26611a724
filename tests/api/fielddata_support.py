"""A small OpenRosa client written for the tests (what ODK Collect does over HTTP), and field-form instances."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import httpx
from api_support import PASSWORD, Api
from lxml import etree
from PIL import Image

from homecoming.files.store import FolderStore

XFORMS_LIST = "{http://openrosa.org/xforms/xformsList}"
MANIFEST = "{http://openrosa.org/xforms/xformsManifest}"
XFORMS = "{http://www.w3.org/2002/xforms}"
# A damage survey in Aghdam village (the enumerator's district), with one photograph.
DAMAGE = {"settlement": "aghdam-v", "kind": "house", "level": "destroyed", "method": "field_survey",
          "location": "40.0012 46.9034 1210.0 4.5", "name": "House 12, School street", "photo_1": "IMG_0001.jpg",
          "notes": "roof and walls gone"}  # fmt: skip
SHAPE = "40.0 46.9 0 0;40.0 46.91 0 0;40.01 46.91 0 0;40.01 46.9 0 0;40.0 46.9 0 0"
BOW_TIE = "40.0 46.9 0 0;40.01 46.91 0 0;40.0 46.91 0 0;40.01 46.9 0 0;40.0 46.9 0 0"  # crosses itself
HAZARD = {"evidence": "accident", "classification": "CHA", "contamination": "ap_mines", "shape": SHAPE,
          "blocked_settlement": "aghdam-v", "notes": "cow killed last spring"}  # fmt: skip


def jpeg(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 12), colour).save(out, format="JPEG")
    return out.getvalue()


def basic(username: str, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def instance(form_id: str, version: str, instance_id: str, answers: dict[str, str]) -> bytes:
    """The XML ODK Collect writes for a filled-in form."""
    fields = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in answers.items())
    return (
        f'<?xml version="1.0"?><data xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms"'
        f' id="{form_id}" version="{version}">{fields}<meta><instanceID>{instance_id}</instanceID></meta></data>'
    ).encode()


@dataclass
class Collect:
    """ODK Collect's side of OpenRosa: form list, form download, manifest, submission (HEAD, then POST)."""

    client: httpx.Client
    headers: dict[str, str]

    def get(self, url: str) -> httpx.Response:
        response = self.client.get(url, headers={"X-OpenRosa-Version": "1.0", **self.headers})
        assert response.headers["X-OpenRosa-Version"] == "1.0", response.text
        return response

    def form_list(self) -> dict[str, dict[str, str]]:
        response = self.get("/odk/formList")
        assert response.status_code == 200, response.text
        root = etree.fromstring(response.content)
        return {
            form.findtext(f"{XFORMS_LIST}formID"): {child.tag.removeprefix(XFORMS_LIST): child.text for child in form}
            for form in root.iter(f"{XFORMS_LIST}xform")
        }

    def versions(self) -> dict[str, str]:
        return {form_id: entry["version"] for form_id, entry in self.form_list().items()}

    def submit(self, xml: bytes, files: dict[str, bytes] | None = None) -> httpx.Response:
        probe = self.client.head("/odk/submission", headers=self.headers)
        assert probe.status_code == 204, probe.text
        parts = [("xml_submission_file", ("submission.xml", xml, "text/xml"))]
        parts += [(name, (name, content, "image/jpeg")) for name, content in (files or {}).items()]
        return self.client.post("/odk/submission", files=parts, headers={"X-OpenRosa-Version": "1.0", **self.headers})


def collect(api: Api, username: str) -> Collect:
    return Collect(api.client, basic(username))


def use_folder(api: Api, folder: Path) -> FolderStore:
    """The app's files go to the test's own folder."""
    store = FolderStore(folder)
    app = api.client.app
    app.state.settings = app.state.settings.model_copy(update={"files_dir": folder})  # type: ignore[attr-defined]
    app.state.file_store = store  # type: ignore[attr-defined]
    return store
