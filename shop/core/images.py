"""Verified image uploads: every image that reaches storage has been checked and re-encoded.

The checks run in order of cost: byte size, then the header (format and dimensions, read
without decoding pixels, so a decompression bomb is refused before it is expanded), then a
full decode. What is stored is our own re-encoding (WebP), under a random name; the
uploaded file's name and bytes are never kept.
"""

import io
import secrets
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from shop.core.errors import CoreError, DomainError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
STORED_FORMAT = "WEBP"
STORED_EXTENSION = "webp"


@dataclass(frozen=True)
class VerifiedImage:
    content: ContentFile
    width: int
    height: int


def _read_bytes(upload, *, max_bytes: int, field: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise DomainError(
            f"The image is too large ({size // 1024} KB); the limit is {max_bytes // 1024} KB.",
            code=CoreError.IMAGE_TOO_LARGE,
            field=field,
        )
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise DomainError(
            f"The image is too large; the limit is {max_bytes // 1024} KB.",
            code=CoreError.IMAGE_TOO_LARGE,
            field=field,
        )
    return data


def image_verify(
    upload,
    *,
    field: str = "image",
    max_bytes: int | None = None,
    max_pixels: int | None = None,
    max_side: int = 2000,
) -> VerifiedImage:
    """Check an uploaded file is a real image within limits and return it re-encoded.

    Raises DomainError with code IMAGE_TOO_LARGE, IMAGE_TOO_MANY_PIXELS,
    IMAGE_FORMAT_NOT_ALLOWED or INVALID_IMAGE, naming `field`.
    """
    max_bytes = max_bytes or settings.IMAGE_MAX_BYTES
    max_pixels = max_pixels or settings.IMAGE_MAX_PIXELS
    data = _read_bytes(upload, max_bytes=max_bytes, field=field)
    invalid = DomainError(
        "Upload a valid image (JPEG, PNG, WebP or GIF). The file is not an image or is corrupted.",
        code=CoreError.INVALID_IMAGE,
        field=field,
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            header = Image.open(io.BytesIO(data))
            fmt, (width, height) = header.format, header.size
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise invalid from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DomainError(
            "The image has too many pixels.", code=CoreError.IMAGE_TOO_MANY_PIXELS, field=field
        ) from None
    if fmt not in ALLOWED_FORMATS:
        raise DomainError(
            "Only JPEG, PNG, WebP and GIF images are accepted.",
            code=CoreError.IMAGE_FORMAT_NOT_ALLOWED,
            field=field,
        )
    if width < 1 or height < 1 or width * height > max_pixels:
        raise DomainError(
            f"The image has too many pixels ({width}×{height}); "
            f"the limit is {max_pixels // 1_000_000} megapixels.",
            code=CoreError.IMAGE_TOO_MANY_PIXELS,
            field=field,
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
            image = ImageOps.exif_transpose(image)
    except Exception:  # Pillow raises many types for truncated or hostile files.
        raise invalid from None
    image = _normalise_mode(image)
    image.thumbnail((max_side, max_side))
    return VerifiedImage(
        content=ContentFile(_encode(image), name=random_image_name()),
        width=image.width,
        height=image.height,
    )


def image_thumbnail(content: ContentFile | bytes, *, size: int) -> ContentFile:
    """Return a WebP thumbnail fitting in size×size of an image we encoded ourselves."""
    data = content if isinstance(content, bytes) else _content_bytes(content)
    image = Image.open(io.BytesIO(data))
    image.load()
    image = _normalise_mode(image)
    image.thumbnail((size, size))
    return ContentFile(_encode(image), name=random_image_name())


def random_image_name() -> str:
    return f"{secrets.token_hex(16)}.{STORED_EXTENSION}"


def _content_bytes(content) -> bytes:
    content.seek(0)
    data = content.read()
    content.seek(0)
    return data


def _normalise_mode(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        return image.convert("RGBA")
    return image.convert("RGB")


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, STORED_FORMAT, quality=82, method=4)
    return out.getvalue()
