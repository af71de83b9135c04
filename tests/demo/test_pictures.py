"""Every kind of demo product has its own drawing; drawings are deterministic."""

import ast
import io
from pathlib import Path

from PIL import Image

from demo import specs
from demo.pictures import DRAWINGS, logo_draw, picture_draw

ROOT = Path(__file__).resolve().parents[2]


def test_every_kind_of_product_has_a_drawing_and_every_drawing_is_used():
    pictures = {kind.picture for category in specs.categories() for kind in category.kinds}

    assert pictures == set(DRAWINGS)


def test_a_picture_is_the_same_bytes_for_the_same_arguments_and_sized_as_asked():
    first = picture_draw(picture="tent", colour=(94, 122, 78), seed=3, size=200, thumb=120)

    assert first == picture_draw(picture="tent", colour=(94, 122, 78), seed=3, size=200, thumb=120)
    assert first != picture_draw(picture="tent", colour=(214, 110, 52), seed=3, size=200, thumb=120)
    full, thumb = (Image.open(io.BytesIO(data)) for data in first)
    assert (full.format, full.size, thumb.size) == ("WEBP", (200, 200), (120, 120))


def test_every_drawing_draws_something_other_than_the_backdrop():
    for name in DRAWINGS:
        full, _ = picture_draw(picture=name, colour=(120, 36, 52), seed=1, size=100, thumb=50)
        data = Image.open(io.BytesIO(full)).convert("RGB").tobytes()

        assert len({data[i : i + 3] for i in range(0, len(data), 3)}) > 50, name


def test_merchant_logos_are_webp_discs_with_initials():
    logo = Image.open(io.BytesIO(logo_draw(name="Hearth & Loom", colour=(190, 104, 78), size=64)))

    assert (logo.format, logo.size) == ("WEBP", (64, 64))


def test_nothing_outside_the_demo_app_imports_it():
    importers = []
    for package in ("shop", "social", "reviews", "gifting", "config"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module or ""]
                if any(name == "demo" or name.startswith("demo.") for name in names):
                    importers.append(str(path.relative_to(ROOT)))

    assert importers == []
