"""Data steps of the catalogue's migrations, run on rows made as they were before them."""

import importlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from PIL import Image

from tests.factories import ProductImageFactory, image_bytes

pytestmark = pytest.mark.django_db

displays = importlib.import_module("shop.catalog.migrations.0005_productimage_display")


def test_images_stored_before_the_renditions_get_them():
    large = ProductImageFactory(image=ContentFile(image_bytes(size=(1400, 700)), name="a.png"))
    small = ProductImageFactory(image=ContentFile(image_bytes(size=(300, 300)), name="b.png"))
    missing = ProductImageFactory()
    missing.image.storage.delete(missing.image.name)

    displays.displays_make(apps, None)

    large.refresh_from_db()
    small.refresh_from_db()
    assert Image.open(large.display).size == (640, 320)
    assert Image.open(large.display_2x).size == (1280, 640)
    assert (Image.open(small.display).size, small.display_2x.name) == ((300, 300), "")
    kept = type(missing).objects.filter(pk=missing.pk).values_list("display", "display_2x")
    assert list(kept) == [("", "")]  # the page shows `image`
