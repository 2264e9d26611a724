"""What the backup tests share: a small real database with a stored photograph, and a fingerprint of its content."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from pathlib import Path

from PIL import Image
from sqlalchemy import Connection, Engine, inspect, text

from homecoming.audit import service as audit
from homecoming.backup.tables import table_names
from homecoming.db import make_engine, unit_of_work
from homecoming.demo import loader
from homecoming.files.service import attach_to_site
from homecoming.files.store import FolderStore
from homecoming.households import service as households
from homecoming.households.schemas import HouseholdCreate


def fill(url: str, files_dir: Path, scratch: Path) -> None:
    """The demo's reference facts, three households, a photograph of a heritage site (with its public copy) and two
    audit entries."""
    engine = make_engine(url)
    photo = scratch / "imarat.jpg"
    Image.new("RGB", (64, 48), (180, 40, 40)).save(photo, "JPEG")
    with unit_of_work(engine) as session:
        loader.load_reference(session)
        for code in ("H1", "H2", "H3"):
            households.register_household(session, _household(code))
        attach_to_site(session, "aghdam-imarat-complex", photo, caption="after", store=FolderStore(files_dir))
        for code in ("import-1", "import-2"):  # a chained audit trail, to verify after a restore
            audit.record_import(session, "registrar", "households", code, {"added": 3})
    engine.dispose()


def _household(code: str) -> HouseholdCreate:
    registered = dt.date(2022, 1, 10)
    return HouseholdCreate(
        code=code, origin_settlement_code="gubadli", head_name="Test Person", size=4, children=1, rooms_needed=2,
        consent_to_return=True, consent_date=registered, registered_on=registered,
    )  # fmt: skip


def fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and a SHA-256 of its rows in primary-key order."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {name: _table_print(connection, name) for name in table_names(connection)}
    finally:
        engine.dispose()


def _table_print(connection: Connection, name: str) -> tuple[int, str]:
    keys = inspect(connection).get_pk_constraint(name)["constrained_columns"] or [
        column["name"] for column in inspect(connection).get_columns(name)
    ]
    order = ", ".join(f'"{key}"' for key in keys)
    rows = connection.execute(text(f'SELECT * FROM "{name}" ORDER BY {order}')).all()
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(tuple(row)).encode("utf-8"))
    return len(rows), digest.hexdigest()


def wipe(url: str) -> None:
    """Drop everything: the SQLite file goes; the PostgreSQL schema is dropped and made anew, empty."""
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        engine.dispose()
        path = Path(str(engine.url.database))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def add_rows(engine: Engine, count: int, note_bytes: int) -> None:
    """Pad a database with districts carrying long notes (that do not compress), so that a backup takes a moment."""
    noise = random.Random(15)
    with engine.begin() as connection:
        region = connection.execute(text("INSERT INTO regions (code, name) VALUES ('pad', 'Padding') RETURNING id"))
        region_id = region.scalar_one()
        connection.execute(
            text("INSERT INTO districts (code, name, region_id, notes) VALUES (:code, :name, :region, :notes)"),
            [
                {
                    "code": f"pad-{n}",
                    "name": f"Padding {n}",
                    "region": region_id,
                    "notes": noise.randbytes(note_bytes // 2).hex(),
                }
                for n in range(count)
            ],
        )
