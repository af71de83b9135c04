import io
import random
import struct
import zlib

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from shop.core.errors import CoreError, DomainError
from shop.core.forms import VerifiedImageField
from shop.core.images import image_thumbnail, image_verify
from tests.factories import image_bytes


def upload(data: bytes, name: str = "holiday-photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def bilevel_png(*, width: int, height: int) -> bytes:
    """A valid all-black PNG of mode "1": huge in pixels, tiny in bytes (a decompression bomb)."""
    row = b"\x00" + bytes((width + 7) // 8)  # filter byte, then the packed bits of one row
    compressor = zlib.compressobj(9)
    chunks = [compressor.compress(row * 1000) for _ in range(height // 1000)]
    chunks.append(compressor.compress(row * (height % 1000)))
    chunks.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", b"".join(chunks))
        + png_chunk(b"IEND", b"")
    )


def noisy_png(size: int = 64) -> bytes:
    """A PNG of random pixels, which does not compress: about 3 bytes a pixel."""
    out = io.BytesIO()
    Image.frombytes("RGB", (size, size), random.Random(size).randbytes(size * size * 3)).save(
        out, "PNG"
    )
    return out.getvalue()


@pytest.fixture
def decoding_forbidden(monkeypatch):
    """Make any attempt to decode PNG pixels fail the test."""

    def load(self):
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", load)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_good_image_is_re_encoded_to_webp_under_a_random_name(fmt):
    original = upload(image_bytes(size=(40, 30), fmt=fmt), name=f"my-cat.{fmt.lower()}")

    verified = image_verify(original, field="photo")

    stored = Image.open(io.BytesIO(verified.content.read()))
    assert stored.format == "WEBP"
    assert (verified.width, verified.height) == (40, 30) == stored.size
    assert verified.content.name.endswith(".webp")
    assert "my-cat" not in verified.content.name


def test_two_uploads_of_the_same_file_get_different_names():
    first = image_verify(upload(image_bytes()))
    second = image_verify(upload(image_bytes()))

    assert first.content.name != second.content.name


def test_large_image_is_scaled_down_to_the_longest_side_allowed():
    verified = image_verify(upload(image_bytes(size=(300, 150))), max_side=100)

    assert (verified.width, verified.height) == (100, 50)


def test_bytes_that_are_not_an_image_are_refused():
    with pytest.raises(DomainError) as error:
        image_verify(upload(b"%PDF-1.4 definitely not a picture"), field="avatar")

    assert error.value.code == CoreError.INVALID_IMAGE
    assert error.value.field == "avatar"


def test_truncated_image_is_refused():
    data = noisy_png()

    with pytest.raises(DomainError) as error:
        image_verify(upload(data[: len(data) // 2]))

    assert error.value.code == CoreError.INVALID_IMAGE


def test_file_with_more_bytes_than_the_limit_is_refused(settings):
    settings.IMAGE_MAX_BYTES = 1024
    data = noisy_png(64)
    assert len(data) > 1024

    with pytest.raises(DomainError) as error:
        image_verify(upload(data))

    assert error.value.code == CoreError.IMAGE_TOO_LARGE


def test_file_without_a_declared_size_is_still_cut_at_the_limit(settings):
    settings.IMAGE_MAX_BYTES = 1024

    with pytest.raises(DomainError) as error:
        image_verify(io.BytesIO(noisy_png(64)))

    assert error.value.code == CoreError.IMAGE_TOO_LARGE


def test_decompression_bomb_is_refused_before_its_pixels_are_decoded(decoding_forbidden):
    bomb = bilevel_png(width=20_000, height=20_000)
    assert len(bomb) < 200_000  # 400 million pixels in a small file

    with pytest.raises(DomainError) as error:
        image_verify(upload(bomb))

    assert error.value.code == CoreError.IMAGE_TOO_MANY_PIXELS


def test_image_over_our_pixel_limit_but_under_pillows_is_refused_before_decoding(
    settings, decoding_forbidden
):
    settings.IMAGE_MAX_PIXELS = 1_000_000

    with pytest.raises(DomainError) as error:
        image_verify(upload(bilevel_png(width=2_000, height=1_000)))

    assert error.value.code == CoreError.IMAGE_TOO_MANY_PIXELS


@pytest.mark.parametrize("fmt", ["BMP", "TIFF"])
def test_image_in_a_format_we_do_not_accept_is_refused(fmt):
    with pytest.raises(DomainError) as error:
        image_verify(upload(image_bytes(fmt=fmt), name=f"scan.{fmt.lower()}"))

    assert error.value.code == CoreError.IMAGE_FORMAT_NOT_ALLOWED


def test_thumbnail_fits_in_the_asked_square_and_keeps_the_aspect_ratio():
    verified = image_verify(upload(image_bytes(size=(200, 100))))

    thumb = image_thumbnail(verified.content, size=50)

    stored = Image.open(io.BytesIO(thumb.read()))
    assert stored.format == "WEBP"
    assert stored.size == (50, 25)
    assert thumb.name != verified.content.name


class AvatarForm(forms.Form):
    avatar = VerifiedImageField(label="Avatar", required=False)


def test_verified_image_field_cleans_an_upload_to_a_verified_image():
    form = AvatarForm(data={}, files={"avatar": upload(image_bytes(size=(20, 20)))})

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["avatar"].width, form.cleaned_data["avatar"].height) == (20, 20)
    assert form.cleaned_data["avatar"].content.name.endswith(".webp")


def test_verified_image_field_shows_why_a_file_was_refused():
    form = AvatarForm(data={}, files={"avatar": upload(image_bytes(fmt="BMP"), name="x.bmp")})

    assert not form.is_valid()
    error = form.errors.as_data()["avatar"][0]
    assert error.code == CoreError.IMAGE_FORMAT_NOT_ALLOWED
    assert "Only JPEG, PNG, WebP and GIF" in error.message


def test_verified_image_field_is_empty_when_nothing_was_uploaded():
    form = AvatarForm(data={}, files={})

    assert form.is_valid()
    assert form.cleaned_data["avatar"] is None
