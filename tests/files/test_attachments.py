"""Photographs and documents: type from content, size limit, checksum, and no location in the public copy.

Every test runs on both stores (a folder and an S3 bucket over HTTP) and both database engines.
"""

from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.damage import service as damage
from homecoming.damage.models import AssessmentMethod, DamageLevel, ObjectKind
from homecoming.damage.schemas import DamagedObjectCreate
from homecoming.errors import RuleViolation
from homecoming.files import service as files
from homecoming.files.models import Attachment
from homecoming.files.store import FileStore
from homecoming.heritage import service as heritage
from homecoming.heritage.models import HeritageCategory
from homecoming.heritage.schemas import HeritageSiteCreate
from homecoming.territory import service as territory
from homecoming.territory.models import SettlementKind
from homecoming.territory.schemas import DistrictCreate, RegionCreate, SettlementCreate

# 39°31'12" N, 47°01'54.48" E = 39.52, 47.0318 (Hadrut)
GPS = {1: "N", 2: (39.0, 31.0, 12.0), 3: "E", 4: (47.0, 1.0, 54.48)}
WINDOWS_EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program cannot be run in DOS mode"
)


@pytest.fixture
def owners(session: Session) -> Session:
    territory.create_region(session, RegionCreate(code="karabakh", name="Karabakh"))
    territory.create_district(session, DistrictCreate(code="khojavend", name="Khojavend", region_code="karabakh"))
    territory.create_settlement(
        session, SettlementCreate(code="hadrut", name="Hadrut", district_code="khojavend", kind=SettlementKind.TOWN)
    )
    damage.add_object(
        session,
        DamagedObjectCreate(
            code="hadrut-school-1",
            settlement_code="hadrut",
            kind=ObjectKind.SCHOOL,
            level=DamageLevel.SEVERE,
            method=AssessmentMethod.FIELD_SURVEY,
        ),
    )
    heritage.create_site(
        session, HeritageSiteCreate(code="hadrut-mosque", name_latin="Hadrut mosque", category=HeritageCategory.MOSQUE)
    )
    return session


def photo(path: Path, fmt: str = "JPEG", *, gps: bool = True, size: tuple[int, int] = (64, 48)) -> Path:
    image = Image.new("RGB", size, (180, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "Field camera"  # Make
    if gps:
        exif[ExifTags.IFD.GPSInfo] = GPS
    image.save(path, fmt, exif=exif)
    return path


def stored_files(store: FileStore) -> list[str]:
    return store.keys()


def attachment_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Attachment)) or 0


def refused(session: Session, store: FileStore, path: Path, max_bytes: int | None = None) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        files.attach_to_object(session, "hadrut-school-1", path, store=store, max_bytes=max_bytes)
    assert stored_files(store) == []  # nothing stored
    assert attachment_count(session) == 0
    return caught.value


def test_a_renamed_executable_is_refused_and_nothing_is_stored(
    owners: Session, store: FileStore, tmp_path: Path
) -> None:
    fake = tmp_path / "school-front.jpg"
    fake.write_bytes(WINDOWS_EXE)
    error = refused(owners, store, fake)
    assert error.code == "files.content_mismatch"
    assert error.message == (
        "school-front.jpg claims to be a JPEG image but its content is a Windows executable; nothing was stored"
    )


def test_a_png_named_jpg_is_not_what_it_claims(owners: Session, store: FileStore, tmp_path: Path) -> None:
    renamed = photo(tmp_path / "really-a-png.png", "PNG").rename(tmp_path / "claims-jpeg.jpg")
    error = refused(owners, store, renamed)
    assert (error.code, error.details["found"]) == ("files.content_mismatch", "image/png")


def test_a_file_that_only_starts_like_a_jpeg_is_refused(owners: Session, store: FileStore, tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"not really an image" * 10)
    assert refused(owners, store, broken).code == "files.corrupt"


def test_a_file_over_the_size_limit_is_refused(owners: Session, store: FileStore, tmp_path: Path) -> None:
    large = photo(tmp_path / "large.jpg", size=(400, 400))
    size = large.stat().st_size
    error = refused(owners, store, large, max_bytes=size - 1)
    assert error.code == "files.too_large"
    assert error.details == {"file": "large.jpg", "size_bytes": size, "max_bytes": size - 1}


def test_a_type_that_is_not_accepted_is_refused(owners: Session, store: FileStore, tmp_path: Path) -> None:
    program = tmp_path / "setup.exe"
    program.write_bytes(WINDOWS_EXE)
    assert refused(owners, store, program).code == "files.type_not_allowed"


@pytest.mark.parametrize(("name", "fmt"), [("front.jpg", "JPEG"), ("front.png", "PNG")])
def test_the_geotag_is_kept_in_the_record_but_gone_from_the_public_copy(
    owners: Session, store: FileStore, tmp_path: Path, name: str, fmt: str
) -> None:
    original = photo(tmp_path / name, fmt)
    attachment = files.attach_to_object(owners, "hadrut-school-1", original, caption="front", store=store)
    assert (attachment.geotag_lat, attachment.geotag_lon) == (39.52, 47.0318)
    content = original.read_bytes()
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert (attachment.size_bytes, attachment.media_type) == (len(content), f"image/{fmt.lower()}")
    assert store.read(attachment.stored_path) == content  # the original, kept private
    assert attachment.stored_path.startswith("private/") and attachment.public_path is not None
    assert attachment.public_path.startswith("public/")
    public = Image.open(BytesIO(store.read(attachment.public_path)))
    assert dict(public.getexif()) == {}
    assert public.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert "exif" not in public.info
    assert public.size == (64, 48)
    private = Image.open(BytesIO(store.read(attachment.stored_path)))
    assert private.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"


def test_a_photo_without_gps_has_no_geotag(owners: Session, store: FileStore, tmp_path: Path) -> None:
    attachment = files.attach_to_object(owners, "hadrut-school-1", photo(tmp_path / "a.jpg", gps=False), store=store)
    assert (attachment.geotag_lat, attachment.geotag_lon) == (None, None)


def test_a_pdf_is_stored_privately_without_a_public_copy(owners: Session, store: FileStore, tmp_path: Path) -> None:
    report = tmp_path / "survey.pdf"
    report.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    attachment = files.attach_to_site(owners, "hadrut-mosque", report, store=store)
    assert (attachment.media_type, attachment.public_path) == ("application/pdf", None)
    assert heritage.site_page(owners, "hadrut-mosque").public_files == []
    assert stored_files(store) == [attachment.stored_path]


def test_the_same_photo_twice_is_stored_once(owners: Session, store: FileStore, tmp_path: Path) -> None:
    original = photo(tmp_path / "a.jpg")
    first = files.attach_to_object(owners, "hadrut-school-1", original, store=store)
    second = files.attach_to_site(owners, "hadrut-mosque", original, store=store)
    assert first.sha256 == second.sha256 and first.id != second.id
    assert len(stored_files(store)) == 2  # one original, one public copy
    page = heritage.site_page(owners, "hadrut-mosque")
    assert page.attachments == 1
    assert [(f.public_path, f.media_type) for f in page.public_files] == [(second.public_path, "image/jpeg")]


def test_xmp_location_is_gone_from_the_public_copy(owners: Session, store: FileStore, tmp_path: Path) -> None:
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>39,31.2N</exif:GPSLatitude></x:xmpmeta>'
    original = tmp_path / "xmp.jpg"
    Image.new("RGB", (16, 16), (10, 10, 10)).save(original, "JPEG", xmp=xmp)
    assert b"GPSLatitude" in original.read_bytes()
    attachment = files.attach_to_object(owners, "hadrut-school-1", original, store=store)
    assert attachment.public_path is not None
    assert b"GPSLatitude" not in store.read(attachment.public_path)


def test_the_public_copy_is_turned_upright_before_its_orientation_tag_goes(
    owners: Session, store: FileStore, tmp_path: Path
) -> None:
    original = tmp_path / "sideways.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    Image.new("RGB", (64, 48)).save(original, "JPEG", exif=exif)
    attachment = files.attach_to_object(owners, "hadrut-school-1", original, store=store)
    assert attachment.public_path is not None
    assert Image.open(BytesIO(store.read(attachment.public_path))).size == (48, 64)


def test_an_image_with_too_many_pixels_is_refused(
    owners: Session, store: FileStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    assert refused(owners, store, photo(tmp_path / "huge.jpg")).code == "files.image_too_large"


def test_files_written_for_a_record_that_fails_are_removed(
    owners: Session, store: FileStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_flush(*_: object, **__: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(owners, "flush", broken_flush)
    with pytest.raises(RuntimeError):
        files.attach_to_object(owners, "hadrut-school-1", photo(tmp_path / "a.jpg"), store=store)
    assert stored_files(store) == []
