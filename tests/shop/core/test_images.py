import io
import os
import random
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, JpegImagePlugin, PngImagePlugin

from shop.core.errors import CoreError, DomainError
from shop.core.forms import VerifiedImageField
from shop.core.images import AVATAR, PRODUCT_IMAGE, ImageProfile, image_thumbnail, image_verify
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

    verified = image_verify(original, field="photo", profile=PRODUCT_IMAGE)

    stored = Image.open(io.BytesIO(verified.content.read()))
    assert stored.format == "WEBP"
    assert (verified.width, verified.height) == (40, 30) == stored.size
    assert verified.content.name.endswith(".webp")
    assert "my-cat" not in verified.content.name


def test_two_uploads_of_the_same_file_get_different_names():
    first = image_verify(upload(image_bytes()), profile=PRODUCT_IMAGE)
    second = image_verify(upload(image_bytes()), profile=PRODUCT_IMAGE)

    assert first.content.name != second.content.name


def test_large_image_is_scaled_down_to_the_longest_side_allowed():
    verified = image_verify(
        upload(image_bytes(size=(300, 150))),
        profile=ImageProfile(name="test", max_pixels=1_000_000, max_side=100),
    )

    assert (verified.width, verified.height) == (100, 50)


def test_bytes_that_are_not_an_image_are_refused():
    with pytest.raises(DomainError) as error:
        image_verify(
            upload(b"%PDF-1.4 definitely not a picture"), field="avatar", profile=PRODUCT_IMAGE
        )

    assert error.value.code == CoreError.INVALID_IMAGE
    assert error.value.field == "avatar"


def test_truncated_image_is_refused():
    data = noisy_png()

    with pytest.raises(DomainError) as error:
        image_verify(upload(data[: len(data) // 2]), profile=PRODUCT_IMAGE)

    assert error.value.code == CoreError.INVALID_IMAGE


def test_file_with_more_bytes_than_the_limit_is_refused(settings):
    settings.IMAGE_MAX_BYTES = 1024
    data = noisy_png(64)
    assert len(data) > 1024

    with pytest.raises(DomainError) as error:
        image_verify(upload(data), profile=PRODUCT_IMAGE)

    assert error.value.code == CoreError.IMAGE_TOO_LARGE


def test_file_without_a_declared_size_is_still_cut_at_the_limit(settings):
    settings.IMAGE_MAX_BYTES = 1024

    with pytest.raises(DomainError) as error:
        image_verify(io.BytesIO(noisy_png(64)), profile=PRODUCT_IMAGE)

    assert error.value.code == CoreError.IMAGE_TOO_LARGE


def test_decompression_bomb_is_refused_before_its_pixels_are_decoded(decoding_forbidden):
    bomb = bilevel_png(width=20_000, height=20_000)
    assert len(bomb) < 200_000  # 400 million pixels in a small file

    with pytest.raises(DomainError) as error:
        image_verify(upload(bomb), profile=PRODUCT_IMAGE)

    assert error.value.code == CoreError.IMAGE_TOO_MANY_PIXELS


def test_image_over_our_pixel_limit_but_under_pillows_is_refused_before_decoding(
    settings, decoding_forbidden
):
    settings.IMAGE_MAX_PIXELS = 1_000_000

    with pytest.raises(DomainError) as error:
        image_verify(upload(bilevel_png(width=2_000, height=1_000)), profile=PRODUCT_IMAGE)

    assert error.value.code == CoreError.IMAGE_TOO_MANY_PIXELS


@pytest.mark.parametrize("fmt", ["BMP", "TIFF"])
def test_image_in_a_format_we_do_not_accept_is_refused(fmt):
    with pytest.raises(DomainError) as error:
        image_verify(
            upload(image_bytes(fmt=fmt), name=f"scan.{fmt.lower()}"), profile=PRODUCT_IMAGE
        )

    assert error.value.code == CoreError.IMAGE_FORMAT_NOT_ALLOWED


def test_thumbnail_fits_in_the_asked_square_and_keeps_the_aspect_ratio():
    verified = image_verify(upload(image_bytes(size=(200, 100))), profile=PRODUCT_IMAGE)

    thumb = image_thumbnail(verified.content, size=50)

    stored = Image.open(io.BytesIO(thumb.read()))
    assert stored.format == "WEBP"
    assert stored.size == (50, 25)
    assert thumb.name != verified.content.name


class AvatarForm(forms.Form):
    avatar = VerifiedImageField(profile=AVATAR, label="Avatar", required=False)


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


# --- limits per use --------------------------------------------------------------------------


def test_a_6000_pixel_square_avatar_is_refused_before_its_pixels_are_decoded(decoding_forbidden):
    avatar = bilevel_png(width=6_000, height=6_000)
    assert len(avatar) < 100_000  # 36 megapixels in a few kilobytes

    with pytest.raises(DomainError) as error:
        image_verify(upload(avatar), profile=AVATAR, field="avatar")

    assert error.value.code == CoreError.IMAGE_TOO_MANY_PIXELS
    assert error.value.field == "avatar"
    assert error.value.message == (
        "The image has too many pixels (6000×6000); the avatar limit is 12 megapixels."
    )


def test_the_same_picture_is_a_fine_product_image():
    verified = image_verify(upload(bilevel_png(width=6_000, height=6_000)), profile=PRODUCT_IMAGE)

    assert (verified.width, verified.height) == (2000, 2000)


def test_the_avatar_form_field_refuses_a_huge_avatar_with_the_limit_in_the_message(
    decoding_forbidden,
):
    form = AvatarForm(data={}, files={"avatar": upload(bilevel_png(width=6_000, height=6_000))})

    assert not form.is_valid()
    error = form.errors.as_data()["avatar"][0]
    assert error.code == CoreError.IMAGE_TOO_MANY_PIXELS
    assert "the avatar limit is 12 megapixels" in error.message


def test_the_site_wide_pixel_ceiling_caps_every_profile(settings, decoding_forbidden):
    settings.IMAGE_MAX_PIXELS = 1_000_000

    with pytest.raises(DomainError) as error:
        image_verify(upload(bilevel_png(width=2_000, height=1_000)), profile=PRODUCT_IMAGE)

    assert "the product image limit is 1 megapixels" in error.value.message


def test_a_big_jpeg_is_decoded_already_scaled_down(monkeypatch):
    decoded_sizes = []
    real_load = JpegImagePlugin.JpegImageFile.load

    def load(self):
        result = real_load(self)
        decoded_sizes.append(self.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", load)
    photo = upload(image_bytes(size=(4000, 3000), fmt="JPEG"), name="photo.jpg")

    verified = image_verify(
        photo, profile=ImageProfile(name="test", max_pixels=10**8, max_side=500)
    )

    assert (verified.width, verified.height) == (500, 375)
    assert decoded_sizes[0] == (1000, 750)  # a quarter of each side, never 4000×3000


@pytest.mark.parametrize(
    ("mode", "size"), [("RGBA", (900, 600)), ("P", (1200, 300)), ("L", (300, 900))]
)
def test_images_of_every_mode_are_scaled_down_and_stored(mode, size):
    out = io.BytesIO()
    Image.new(mode, size, 120 if mode in ("L", "P") else (10, 20, 30, 128)).save(out, "PNG")
    profile = ImageProfile(name="test", max_pixels=10**8, max_side=300)

    verified = image_verify(upload(out.getvalue()), profile=profile)

    assert max(verified.width, verified.height) == 300
    assert Image.open(io.BytesIO(verified.content.read())).mode in ("RGB", "RGBA")


MEASURE = """
import sys
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from shop.core.images import PRODUCT_IMAGE, image_verify

def status_kb(name):
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(name + ":"))
    return int(line.split()[1])

upload = SimpleUploadedFile("big", open(sys.argv[1], "rb").read())
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # start the peak (VmHWM) again from what the process holds now
before = status_kb("VmRSS")
image_verify(upload, profile=PRODUCT_IMAGE)
print(status_kb("VmHWM") - before)
"""


def _peak_memory_mb(data: bytes, tmp_path) -> float:
    """Peak memory (RSS) that verifying DATA adds, measured in a fresh process (Linux: Pillow's
    pixels are allocated in C, where tracemalloc does not see them)."""
    path = tmp_path / "big.img"
    path.write_bytes(data)
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    return int(result.stdout.split()[-1]) / 1024


def grey_png(*, width: int, height: int) -> bytes:
    """A valid flat grey PNG built row by row: large in pixels, small in bytes and to build."""
    row = b"\x00" + b"\x80" * width
    compressor = zlib.compressobj(9)
    chunks = [compressor.compress(row * 100) for _ in range(height // 100)]
    chunks += [compressor.compress(row * (height % 100)), compressor.flush()]
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", b"".join(chunks))
        + png_chunk(b"IEND", b"")
    )


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc")
def test_a_large_allowed_grey_png_takes_a_fraction_of_its_rgb_size_to_verify(tmp_path):
    # 6300×6300 is 40 megapixels: 160 MB in RGB, which verifying used to make (and copy).
    # Reduced in its own grey mode it needs about 40 MB, plus the reduced copy.
    peak = _peak_memory_mb(grey_png(width=6300, height=6300), tmp_path)
    assert peak < 120
