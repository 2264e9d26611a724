"""The registry file documentation lists exactly the columns the importer reads."""

from pathlib import Path

from homecoming.interchange.spec import IMPORT_ORDER, SPECS

DOC = Path(__file__).parents[2] / "docs" / "registry-files.md"


def test_registry_file_doc_lists_every_table_and_column() -> None:
    sections = DOC.read_text(encoding="utf-8").split("\n## ")[1:]
    documented = {
        section.splitlines()[0]: [line.split("`")[1] for line in section.splitlines() if line.startswith("| `")]
        for section in sections
    }
    assert list(documented) == list(IMPORT_ORDER)
    for name in IMPORT_ORDER:
        assert documented[name] == SPECS[name].file_columns, name
