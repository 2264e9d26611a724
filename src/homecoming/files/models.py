"""A photograph or document attached to a damaged object or a heritage site."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from homecoming.db.base import Base
from homecoming.db.types import LATITUDE, LONGITUDE, NON_NEGATIVE


class Attachment(Base):
    """The stored content is addressed by its SHA-256; the public copy carries no location metadata.

    The geotag read from the original stays here, in the record, for planners; public pages use the public copy.
    """

    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint("(damaged_object_id IS NULL) <> (heritage_site_id IS NULL)", name="exactly_one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    damaged_object_id: Mapped[int | None] = mapped_column(
        ForeignKey("damaged_objects.id", ondelete="CASCADE"), index=True
    )
    heritage_site_id: Mapped[int | None] = mapped_column(
        ForeignKey("heritage_sites.id", ondelete="CASCADE"), index=True
    )
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
