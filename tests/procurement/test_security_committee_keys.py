"""Issue 16 item 4, the members' side: a member's key pair is made on its own machine, with no database; its
private key file is the owner's only; a sealed share opens only with its member's key, offline; and two members
giving at once can never leave k shares stored. (The attack itself, over the API: tests/api/test_security_committee.py.)
"""

from __future__ import annotations

import base64
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from tender_helpers import AFTER, BEFORE, FakeClock, bid, published
from typer.testing import CliRunner

from homecoming.cli.main import app
from homecoming.config import get_settings
from homecoming.db import session as db_session
from homecoming.procurement import committee, sealing, service
from homecoming.procurement.models import CommitteeSeat


@pytest.fixture
def nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The command line pointed at a database that does not exist (and must not be made)."""
    missing = tmp_path / "no-database-here.db"
    monkeypatch.setenv("HOMECOMING_DATABASE_URL", f"sqlite:///{missing}")
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()
    yield missing
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()


def _committee(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, ["committee", *args], env={"COLUMNS": "250"})
    assert result.exit_code == code, result.output
    return result.output


def test_keygen_writes_an_owner_only_private_key_and_needs_no_database(tmp_path: Path, nowhere: Path) -> None:
    out = _committee("keygen", "--out", str(tmp_path / "aliyev"))
    private_file, public_file = tmp_path / "aliyev" / "committee.key", tmp_path / "aliyev" / "committee.pub"
    assert stat.S_IMODE(private_file.stat().st_mode) == 0o600
    found = re.search(r"public key \(give it to the procurement office\): (\S+)", out)
    assert found is not None
    public_key = found.group(1)
    assert public_file.read_text().strip() == public_key
    private = sealing.load_member_key(private_file.read_bytes())
    assert sealing.public_key_of(private) == base64.b64decode(public_key)
    assert private_file.read_text() not in out  # the private key is never printed
    assert not nowhere.exists()
    again = _committee("keygen", "--out", str(tmp_path / "aliyev"), code=1)
    assert "output.exists" in again  # a key is never overwritten


def test_a_member_unwraps_its_own_share_offline_and_nobody_else_can(tmp_path: Path, nowhere: Path) -> None:
    _committee("keygen", "--out", str(tmp_path / "a"))
    _committee("keygen", "--out", str(tmp_path / "b"))
    keys = [sealing.load_member_key((tmp_path / m / "committee.key").read_bytes()) for m in ("a", "b")]
    made = sealing.make_tender_keys("T-7", 2, [sealing.public_key_of(k) for k in keys])
    sealed = [sealing.format_envelope("T-7", seat.index, seat.envelope) for seat in made.seats]
    key_a = str(tmp_path / "a" / "committee.key")
    share = _committee("unwrap", "--key", key_a, "--tender", "T-7", "--sealed", sealed[0]).strip()
    index, value = sealing.parse_share("T-7", share)
    assert (index, sealing.share_commitment("T-7", index, value)) == (1, made.seats[0].commitment)
    assert "committee.envelope_not_yours" in _committee(
        "unwrap", "--key", key_a, "--tender", "T-7", "--sealed", sealed[1], code=1
    )
    assert not nowhere.exists()


def test_two_members_giving_at_once_never_leave_k_shares_stored(
    money: Session, engine: Engine, clock: FakeClock
) -> None:
    """Member B read the opening's state before member A's share was committed: B's giving is refused (stale),
    so the database never holds two shares of a 2-of-3 committee, and the k-th always opens at once."""
    shares = published(money, clock)
    bid(money, clock.at(BEFORE), "azer-build", "400000")
    money.commit()
    clock.at(AFTER)
    with Session(engine) as late:
        tender = service.get_tender(late, "T-1")
        held = committee.seats_of(late, tender)  # B has read the tender and its seats: no share given yet
        committee.give_share(money, "T-1", shares[0], clock)
        money.commit()
        with pytest.raises(StaleDataError):
            committee.give_share(late, "T-1", shares[1], clock)
        late.rollback()
        assert held  # (kept referenced, so B's session really holds what it read)
    with Session(engine) as check:
        given = check.scalars(select(CommitteeSeat.share_index).where(CommitteeSeat.share_given.is_not(None))).all()
        assert list(given) == [1]
        assert service.get_tender(check, "T-1").opened_at is None
    opening = committee.give_share(money, "T-1", shares[1], clock)  # given again, it opens the bids
    assert opening.opened and opening.tender.status.value == "opening"
    assert money.scalars(select(CommitteeSeat.share_given).where(CommitteeSeat.share_given.is_not(None))).all() == []
