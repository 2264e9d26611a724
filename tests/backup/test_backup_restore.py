"""`homecoming backup` and `restore` on both engines: the drill, and every refusal leaving things as they were."""

from __future__ import annotations

import stat
import tarfile
from pathlib import Path

import pytest
from backup_support import fill, fingerprint, wipe

from cli_support import fail, run
from homecoming.backup.postgres import find_tool
from homecoming.db.migrate import newest_revision
from homecoming.errors import RuleViolation


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def filled(configured: str, files_dir: Path, tmp_path: Path) -> str:
    fill(configured, files_dir, tmp_path)
    return configured


@pytest.fixture
def backup_file(filled: str, tmp_path: Path) -> Path:
    out = tmp_path / "backups" / "homecoming.tar"
    out.parent.mkdir()
    run("backup", "--out", str(out))
    return out


def test_drill_backup_wipe_restore_brings_back_every_row_and_file(
    backup_file: Path, filled: str, files_dir: Path
) -> None:
    before, stored = fingerprint(filled), files_of(files_dir)
    head = run("audit", "verify").split("Head hash: ")[1].split()[0]
    assert before["attachments"][0] == 1 and before["households"][0] == 3 and before["settlements"][0] > 0
    assert len(stored) == 2  # the photograph and its metadata-free public copy
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600
    assert [p.name for p in backup_file.parent.iterdir()] == [backup_file.name]  # no temporary file left behind

    wipe(filled)
    for path in stored:
        (files_dir / path).unlink()
    output = run("restore", str(backup_file))

    assert fingerprint(filled) == before
    assert files_of(files_dir) == stored
    assert "intact: 2 entries" in run("audit", "verify", "--expect-head", head)  # the chain hashes alike after it
    if filled.startswith("sqlite"):  # the database file the restore made is its owner's only
        assert stat.S_IMODE(Path(filled.removeprefix("sqlite:///")).stat().st_mode) == 0o600
    assert "every table holds the rows the manifest lists" in output
    assert "2 stored files (2 were missing)" in output


def test_manifest_lists_engine_revision_counts_and_a_checksum_of_every_member(backup_file: Path, filled: str) -> None:
    import json

    with tarfile.open(backup_file) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    engine = "sqlite" if filled.startswith("sqlite") else "postgresql"
    assert manifest["engine"] == engine and manifest["alembic_revision"] == newest_revision()
    assert manifest["format_version"] == 1 and manifest["homecoming_version"] and manifest["created_at"]
    assert {name: count for name, (count, _) in fingerprint(filled).items()} == manifest["row_counts"]
    assert sorted(manifest["members"]) == sorted(set(names) - {"manifest.json", "manifest.sha256"})
    assert all(len(member["sha256"]) == 64 for member in manifest["members"].values())


def test_restore_refuses_a_database_holding_rows_unless_forced(backup_file: Path, filled: str) -> None:
    before = fingerprint(filled)
    output = fail("restore", str(backup_file))
    assert "backup.database_not_empty" in output and "--force" in output
    assert fingerprint(filled) == before
    assert "every table holds the rows the manifest lists" in run("restore", str(backup_file), "--force")
    assert fingerprint(filled) == before


def _member_offset(backup: Path, name: str) -> int:
    with tarfile.open(backup) as tar:
        info = tar.getmember(name)
        return info.offset_data + info.size // 2


@pytest.mark.parametrize("member", ["database", "files", "manifest.json"])
def test_restore_refuses_a_backup_with_one_byte_changed_and_changes_nothing(
    backup_file: Path, filled: str, files_dir: Path, member: str
) -> None:
    with tarfile.open(backup_file) as tar:
        name = next(n for n in tar.getnames() if n.startswith(member))
    offset = _member_offset(backup_file, name)
    content = bytearray(backup_file.read_bytes())
    content[offset] ^= 0x01
    backup_file.write_bytes(bytes(content))
    wipe(filled)
    run("init")  # an empty database at the newest schema, which --force would replace
    before, stored = fingerprint(filled), files_of(files_dir)

    output = fail("restore", str(backup_file), "--force")

    assert "backup.corrupt" in output and "nothing was restored" in output
    assert fingerprint(filled) == before
    assert files_of(files_dir) == stored


@pytest.mark.parametrize("keep", [0.5, -1])
def test_restore_refuses_a_truncated_backup_and_changes_nothing(
    backup_file: Path, filled: str, files_dir: Path, keep: float
) -> None:
    content = backup_file.read_bytes()
    backup_file.write_bytes(content[: int(len(content) * keep)] if keep > 0 else content[:-1])
    before, stored = fingerprint(filled), files_of(files_dir)

    output = fail("restore", str(backup_file), "--force")

    assert "backup.corrupt" in output
    assert fingerprint(filled) == before
    assert files_of(files_dir) == stored


def test_a_backup_never_overwrites_a_file(backup_file: Path) -> None:
    content = backup_file.read_bytes()
    assert "backup.output_exists" in fail("backup", "--out", str(backup_file))
    assert backup_file.read_bytes() == content


def test_restore_of_a_file_that_is_not_a_backup_is_refused(configured: str, tmp_path: Path) -> None:
    stray = tmp_path / "notes.txt"
    stray.write_text("not a backup\n", encoding="utf-8")
    assert "backup.corrupt" in fail("restore", str(stray))
    assert "backup.not_found" in fail("restore", str(tmp_path / "missing.tar"))


def test_a_missing_postgresql_tool_is_named_with_a_stable_code() -> None:
    with pytest.raises(RuleViolation) as refused:
        find_tool("pg_no_such_tool")
    assert refused.value.code == "backup.tool_missing" and "pg_no_such_tool" in refused.value.message
    assert find_tool("pg_dump").name == "pg_dump"


def test_a_freshly_initialised_database_counts_as_empty(backup_file: Path, filled: str) -> None:
    before = fingerprint(filled)
    wipe(filled)
    run("init")
    run("restore", str(backup_file))  # no --force: the schema is there, no row is
    assert fingerprint(filled) == before


def test_a_backup_restores_only_into_the_engine_that_made_it(
    backup_file: Path, filled: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from homecoming.config import get_settings
    from homecoming.db import session as db_session

    if filled.startswith("sqlite"):
        other = "postgresql+psycopg://nobody@/nowhere?host=/nonexistent"  # refused before any connection
    else:
        other = f"sqlite:///{tmp_path / 'other.db'}"
    monkeypatch.setenv("HOMECOMING_DATABASE_URL", other)
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()
    assert "backup.engine_mismatch" in fail("restore", str(backup_file))
    db_session.get_engine(other).dispose()


def test_a_database_that_cannot_be_reached_is_named_with_a_stable_code(
    configured: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.engine import make_url

    from homecoming.config import get_settings
    from homecoming.db import session as db_session

    absent = make_url(configured).set(
        database=str(tmp_path / "absent.db") if configured.startswith("sqlite") else "absent"
    )
    monkeypatch.setenv("HOMECOMING_DATABASE_URL", absent.render_as_string(hide_password=False))
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()
    output = fail("backup", "--out", str(tmp_path / "backup.tar"))
    assert ("backup.database_missing" if configured.startswith("sqlite") else "backup.database_unreachable") in output
    assert not (tmp_path / "backup.tar").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".backup.tar")]
