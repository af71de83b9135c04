"""Verified image uploads: every image that reaches storage has been checked and re-encoded.

The checks run in order of cost: byte size, then the header (format and dimensions, read
without decoding pixels, so a decompression bomb is refused before it is expanded), then a
full decode. What is stored is our own re-encoding (WebP), under a random name; the
uploaded file's name and bytes are never kept.

Each use has its own ImageProfile: an avatar needs far fewer pixels than a product photo.
Decoding costs memory in proportion to the pixels (4 bytes each in RGB), so the profile's
pixel limit is what bounds a worker's memory; JPEGs are decoded already scaled down (`draft`),
other formats are reduced in their own mode before any conversion or copy.
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
class ImageProfile:
    """The limits of one use of uploaded images (reviews and looks add their own).

    max_pixels: width × height accepted, checked from the header before decoding (never more
    than settings.IMAGE_MAX_PIXELS, the site-wide ceiling); max_side: the longest side of the
    stored image, larger ones are scaled down.
    """

    name: str
    max_pixels: int
    max_side: int

    def pixel_limit(self) -> int:
        return min(self.max_pixels, settings.IMAGE_MAX_PIXELS)


# A phone photo is 12 MP: enough for a 512-pixel avatar or a logo.
AVATAR = ImageProfile(name="avatar", max_pixels=12_000_000, max_side=512)
MERCHANT_LOGO = ImageProfile(name="merchant logo", max_pixels=12_000_000, max_side=1000)
# Merchants upload studio shots; 40 MP decodes to at most ~160 MB before it is reduced.
PRODUCT_IMAGE = ImageProfile(name="product image", max_pixels=40_000_000, max_side=2000)


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


def image_verify(upload, *, profile: ImageProfile, field: str = "image") -> VerifiedImage:
    """Check an uploaded file is a real image within PROFILE's limits; return it re-encoded.

    Raises DomainError with code IMAGE_TOO_LARGE, IMAGE_TOO_MANY_PIXELS,
    IMAGE_FORMAT_NOT_ALLOWED or INVALID_IMAGE, naming `field`.
    """
    max_bytes = settings.IMAGE_MAX_BYTES
    max_pixels = profile.pixel_limit()
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
            f"the {profile.name} limit is {_megapixels(max_pixels)} megapixels.",
            code=CoreError.IMAGE_TOO_MANY_PIXELS,
            field=field,
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = _decode_reduced(header, max_side=profile.max_side)
    except Exception:  # Pillow raises many types for truncated or hostile files.
        raise invalid from None
    return VerifiedImage(
        content=ContentFile(_encode(image), name=random_image_name()),
        width=image.width,
        height=image.height,
    )


# Modes Pillow reduces and resamples as they are (one or more 8-bit bands).
_REDUCIBLE_MODES = {"L", "LA", "RGB", "RGBA", "CMYK"}


def _decode_reduced(image: Image.Image, *, max_side: int) -> Image.Image:
    """Decode IMAGE (opened, not loaded) scaled to fit in max_side², upright, in RGB(A).

    Memory is what matters: a JPEG decodes straight at 1/2, 1/4 or 1/8 of its size (`draft`);
    any image is reduced in its own mode (1 byte a pixel for a grey image) before it is turned
    upright or converted to RGB, and nothing else is copied at full size.
    """
    if image.format == "JPEG":
        image.draft("RGB", (max_side, max_side))
    image.load()
    if image.mode == "1":
        image = image.convert("L")  # resampling needs levels; "L" takes no more memory
    elif image.mode == "P":
        # A palette cannot be averaged. Pick pixels down to twice the size wanted, still at 1
        # byte a pixel, then expand the colours and resample that properly.
        if max(image.size) > 2 * max_side:
            image.thumbnail((2 * max_side, 2 * max_side), Image.Resampling.NEAREST)
        image = _normalise_mode(image)
    elif image.mode not in _REDUCIBLE_MODES:
        image = _normalise_mode(image)  # 16-bit and float images: rare, converted as they are
    image.thumbnail((max_side, max_side))  # in place: reduce() by whole factors, then resample
    return _normalise_mode(ImageOps.exif_transpose(image))


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:g}"


def image_thumbnail(content: ContentFile | bytes, *, size: int) -> ContentFile:
    """Return a WebP thumbnail fitting in size×size of an image we encoded ourselves."""
    data = content if isinstance(content, bytes) else _content_bytes(content)
    image = Image.open(io.BytesIO(data))
    image.load()
    image = _normalise_mode(image)
    image.thumbnail((size, size))
    return ContentFile(_encode(image), name=random_image_name())


def image_renditions(content: ContentFile | bytes, *, sizes: list[int]) -> list[ContentFile]:
    """Return WebP copies of an image we encoded ourselves, one fitting in each size×size.

    The image is decoded once; a copy is never larger than the image (no enlarging).
    """
    data = content if isinstance(content, bytes) else _content_bytes(content)
    image = Image.open(io.BytesIO(data))
    image.load()
    image = _normalise_mode(image)
    renditions = []
    for size in sizes:
        copy = image.copy()
        copy.thumbnail((size, size))
        renditions.append(ContentFile(_encode(copy), name=random_image_name()))
    return renditions


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
