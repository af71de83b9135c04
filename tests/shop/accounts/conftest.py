import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shop.core.images import PRODUCT_IMAGE, VerifiedImage, image_verify
from tests.factories import image_bytes


def verified_image(*, size: tuple[int, int] = (64, 64), color: str = "teal") -> VerifiedImage:
    # Verified with the product profile (up to 2000 pixels a side), so that an avatar larger
    # than the services keep reaches them and their own scaling is what is tested.
    return image_verify(
        SimpleUploadedFile("me.png", image_bytes(size=size, color=color, fmt="PNG")),
        profile=PRODUCT_IMAGE,
        field="avatar",
    )


@pytest.fixture
def avatar_upload():
    """A small PNG as a browser would upload it."""

    def make(*, name: str = "me.png", size: tuple[int, int] = (64, 64)) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, image_bytes(size=size), content_type="image/png")

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hash test passwords with MD5: PBKDF2's deliberate slowness adds seconds per user made."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
