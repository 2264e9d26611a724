"""Is a file what its name claims? Checked from its content, then images are decoded and stripped of metadata.

The first bytes decide the type (the name only says what the sender claims); images must also decode with Pillow,
so a file that only starts like a JPEG is refused too.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePath
from typing import Any

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from homecoming.errors import RuleViolation

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
IMAGES = frozenset({JPEG, PNG})
CLAIMED = {".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".pdf": PDF}
SUFFIX = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf"}
LABEL = {JPEG: "a JPEG image", PNG: "a PNG image", PDF: "a PDF document"}
SIGNATURES = ((b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG), (b"%PDF-", PDF))
# Not accepted, but named in the refusal so the sender knows what they sent.
OTHER_SIGNATURES = (
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "a Linux executable (ELF)"),
    (b"\xcf\xfa\xed\xfe", "a macOS executable (Mach-O)"),
    (b"#!", "a script"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"GIF8", "a GIF image"),
    (b"<", "an HTML or XML document"),
)


@dataclass(frozen=True)
class CheckedFile:
    media_type: str
    sha256: str
    size_bytes: int
    geotag: tuple[float, float] | None  # (lat, lon) read from the original's EXIF
    public_copy: bytes | None  # re-encoded without any metadata; None when no public copy can be made

    @property
    def suffix(self) -> str:
        return SUFFIX[self.media_type]


def check_content(name: str, content: bytes, max_bytes: int) -> CheckedFile:
    """Refuse a file that is too large, empty, of a type not accepted, or not what its name claims."""
    if len(content) > max_bytes:
        raise too_large(name, len(content), max_bytes)
    if not content:
        raise RuleViolation("files.empty", f"{name} is empty", {"file": name})
    claimed = CLAIMED.get(PurePath(name).suffix.lower())
    if claimed is None:
        raise RuleViolation(
            "files.type_not_allowed",
            f"{name}: only photographs (.jpg, .jpeg, .png) and documents (.pdf) are accepted",
            {"file": name, "allowed": sorted(CLAIMED)},
        )
    actual = sniff(content)
    if actual != claimed:
        found = LABEL[actual] if actual else describe(content)
        raise RuleViolation(
            "files.content_mismatch",
            f"{name} claims to be {LABEL[claimed]} but its content is {found}; nothing was stored",
            {"file": name, "claimed": claimed, "found": actual or found},
        )
    sha256 = hashlib.sha256(content).hexdigest()
    if actual == PDF:
        # PDF metadata cannot be stripped safely here: the document stays private (no public copy).
        return CheckedFile(PDF, sha256, len(content), None, None)
    image = _decode(name, content)
    return CheckedFile(actual, sha256, len(content), read_geotag(image), public_copy(image, actual))


def check_image(name: str, content: bytes, max_bytes: int) -> CheckedFile:
    """As `check_content`, for a place that takes photographs only: a JPEG or PNG image that decodes."""
    checked = check_content(name, content, max_bytes)
    if checked.media_type not in IMAGES:
        raise RuleViolation(
            "files.not_an_image",
            f"{name} is {LABEL[checked.media_type]}; only photographs (JPEG or PNG images) are accepted here",
            {"file": name, "found": checked.media_type, "allowed": sorted(IMAGES)},
        )
    return checked


def served_type(content: bytes) -> str:
    """The media type to serve stored content as: what its bytes are, never what a name or an upload claimed."""
    return sniff(content) or "application/octet-stream"


def too_large(name: str, size: int, max_bytes: int) -> RuleViolation:
    return RuleViolation(
        "files.too_large",
        f"{name} is {size:,} bytes; the limit is {max_bytes:,} bytes (HOMECOMING_MAX_FILE_BYTES)",
        {"file": name, "size_bytes": size, "max_bytes": max_bytes},
    )


def sniff(content: bytes) -> str | None:
    return next((media for magic, media in SIGNATURES if content.startswith(magic)), None)


def describe(content: bytes) -> str:
    known = next((label for magic, label in OTHER_SIGNATURES if content.startswith(magic)), None)
    return known or "of an unknown type"


def _decode(name: str, content: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(content)) as probe:
                probe.verify()  # structure and checksums, without decoding the pixels
            image = Image.open(BytesIO(content))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise RuleViolation(
            "files.image_too_large",
            f"{name}: the image has too many pixels to be handled safely ({Image.MAX_IMAGE_PIXELS:,} at most)",
            {"file": name},
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        # Pillow's own message may name Python objects ("cannot identify image file <_io.BytesIO object at 0x..>"):
        # the reader is told what is wrong in plain words instead.
        raise RuleViolation(
            "files.corrupt",
            f"{name} starts like an image but does not decode as one (it is damaged or not really an image); "
            "nothing was stored",
            {"file": name},
        ) from None
    return image


def read_geotag(image: Image.Image) -> tuple[float, float] | None:
    """(lat, lon) from the EXIF GPS block, or None when there is none or it is malformed."""
    gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    try:
        lat = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef, "N"), "S")
        lon = _degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef, "E"), "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return round(lat, 7), round(lon, 7)


def _degrees(value: Any, ref: Any, negative: str) -> float:
    degrees, minutes, seconds = (float(part) for part in value)
    sign = -1 if str(ref).strip().upper() == negative else 1
    return sign * (degrees + minutes / 60 + seconds / 3600)


def public_copy(image: Image.Image, media_type: str) -> bytes:
    """The image turned upright and re-encoded from its pixels only: no EXIF, GPS, XMP, comments or text chunks."""
    upright = ImageOps.exif_transpose(image)
    if upright.mode == "P" or (media_type == JPEG and upright.mode not in {"L", "RGB", "CMYK"}):
        upright = upright.convert("RGBA" if media_type == PNG else "RGB")
    pixels_only = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    out = BytesIO()
    if media_type == JPEG:
        pixels_only.save(out, format="JPEG", quality=90)
    else:
        pixels_only.save(out, format="PNG", optimize=True)
    return out.getvalue()
