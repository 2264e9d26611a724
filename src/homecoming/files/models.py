"""A photograph or document attached to a damaged object, a heritage site or a contract amendment."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from homecoming.db.base import Base
from homecoming.db.types import LATITUDE, LONGITUDE, NON_NEGATIVE

OWNERS = ("damaged_object_id", "heritage_site_id", "amendment_id")
OWNER_CHECK = " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in OWNERS) + " = 1"


class Attachment(Base):
    """The stored content is addressed by its SHA-256; the public copy carries no location metadata.

    The geotag read from the original stays here, in the record, for planners; public pages use the public copy.
    """

    __tablename__ = "attachments"
    __table_args__ = (CheckConstraint(OWNER_CHECK, name="exactly_one_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    damaged_object_id: Mapped[int | None] = mapped_column(
        ForeignKey("damaged_objects.id", ondelete="CASCADE"), index=True
    )
    heritage_site_id: Mapped[int | None] = mapped_column(
        ForeignKey("heritage_sites.id", ondelete="CASCADE"), index=True
    )
    amendment_id: Mapped[int | None] = mapped_column(
        ForeignKey("contract_amendments.id", ondelete="CASCADE"), index=True
    )  # a variation order's supporting document
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer, info=NON_NEGATIVE)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_path: Mapped[str] = mapped_column(String(255))  # relative to the files folder; private
    public_path: Mapped[str | None] = mapped_column(String(255))  # None: no copy fit for public display
    geotag_lat: Mapped[float | None] = mapped_column(Float, info=LATITUDE)
    geotag_lon: Mapped[float | None] = mapped_column(Float, info=LONGITUDE)
    caption: Mapped[str | None] = mapped_column(Text)
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
