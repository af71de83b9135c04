"""`make screenshots` takes its pictures of the demo shop (here served by the live server)."""

import io

import pytest
from django.core.management import call_command
from PIL import Image

from scripts.screenshots import PHONE, SHOTS, WIDE, take_screenshots

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_screenshots_of_the_demo_shop_are_taken(browser, live_server, tmp_path):
    call_command("demo_data", products=12, stdout=io.StringIO())
    call_command("demo_discounts", stdout=io.StringIO())

    written = take_screenshots(browser, live_server.url, tmp_path)

    assert sorted(path.name for path in written) == sorted(SHOTS)
    for path in written:
        with Image.open(path) as image:
            expected = PHONE if path.name.endswith("-375.png") else WIDE
            assert image.size == (expected["width"], expected["height"]), path.name
            # Not a blank page: a screenshot of a real page has many colours.
            assert len(image.convert("RGB").getcolors(maxcolors=1 << 20)) > 50, path.name
