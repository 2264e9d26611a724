"""The registry file documentation is the one written from the importer's own specs."""

from pathlib import Path

from homecoming.interchange import docs
from homecoming.interchange.spec import IMPORT_ORDER

DOC = Path(__file__).parents[2] / "docs" / "registry-files.md"


def test_registry_file_doc_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == docs.render(), (
        "regenerate it: python -m homecoming.interchange.docs > docs/registry-files.md"
    )


def test_the_doc_names_every_table_in_import_order() -> None:
    headings = [line[3:] for line in docs.render().splitlines() if line.startswith("## ")]
    assert headings == list(IMPORT_ORDER)
