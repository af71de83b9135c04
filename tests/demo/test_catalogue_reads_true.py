"""The demo catalogue reads like a real shop: each product's name, description, options,
price and pictures agree, and the pictures show the product (issue 7: not initials on
coloured shapes; issue 14: "Demo catalogue that reads true")."""

import re
from collections import Counter

import pytest
from PIL import Image

from demo import specs
from demo.plan import demo_plan
from shop.catalog.models import Product

pytestmark = pytest.mark.django_db
DEMO_PRODUCTS = 60  # the shop `demo` (tests/demo/conftest.py) is built once for this module

# Written out here, not read from the demo's data, so the test does not trust what it checks.
MATERIAL_WORDS = {
    "titanium", "steel", "enamel", "stoneware", "porcelain", "linen", "wool", "cashmere",
    "merino", "leather", "canvas", "silk", "denim", "oak", "walnut", "glass", "brass", "nylon",
    "cotton", "down",
}  # fmt: skip
COLOUR_WORDS = {
    "cobalt", "saffron", "ember", "navy", "burgundy", "sage", "ochre", "indigo", "rust",
    "camel", "black", "white", "red", "blue", "green", "grey", "orange", "pink", "oat",
}  # fmt: skip
# Most a single piece of these may cost, in cents.
PIECE_PRICE_LIMITS = {"Espresso Cup": 2000, "Tea Towel": 2500, "Mug": 5000, "Beanie": 6000}


@pytest.fixture
def shop(demo):
    return list(Product.objects.prefetch_related("variants", "images").order_by("pk"))


def _title_words(product: Product) -> list[str]:
    return product.title.lower().replace("-", " ").split()


def test_a_material_named_in_the_title_is_what_the_product_is_made_of(shop):
    for product in shop:
        material = product.attributes["material"]

        for word in _title_words(product):
            if word in MATERIAL_WORDS:
                assert word in material, (product.title, material)
        assert material.lower() in product.description.lower(), product.description


def test_no_colour_in_a_name_and_every_variant_in_a_colour_the_pictures_show(shop):
    for product in shop:
        assert not COLOUR_WORDS & set(_title_words(product)), product.title
        colours = [variant.options["colour"] for variant in product.variants.all()]
        pictures = list(product.images.all())

        assert pictures and f"in {colours[0]}:" in pictures[0].alt_text, product.title
        assert all(
            any(f"in {colour}:" in picture.alt_text for colour in colours) for picture in pictures
        )


def test_single_pieces_are_priced_for_what_they_are(shop):
    for product in shop:
        for noun, limit in PIECE_PRICE_LIMITS.items():
            if not product.title.endswith(noun):
                continue
            single = min(product.variants.all(), key=lambda v: v.price)
            assert single.price <= limit, (product.title, single.price)


def test_sets_cost_less_than_their_pieces_bought_singly(shop):
    for product in shop:
        by_pieces = {
            v.options["pieces"]: v.price for v in product.variants.all() if "pieces" in v.options
        }
        for pieces, price in by_pieces.items():
            if pieces > 1 and 1 in by_pieces:
                assert by_pieces[1] < price < pieces * by_pieces[1], product.title


def test_descriptions_do_not_all_open_the_same_way(shop):
    openings = Counter(product.description.split()[0] for product in shop)

    assert openings.most_common(1)[0][1] < len(shop) * 0.4, openings


def _colour_share(image: Image.Image, colour: tuple[int, int, int], *, within: int) -> float:
    data = image.convert("RGB").resize((60, 60)).tobytes()
    pixels = [data[i : i + 3] for i in range(0, len(data), 3)]
    near = [
        p for p in pixels if sum((a - b) ** 2 for a, b in zip(p, colour, strict=True)) <= within**2
    ]
    return len(near) / (60 * 60)


def test_pictures_show_the_product_in_its_colour_on_a_light_backdrop(shop):
    palette = specs.words().colours
    for product in shop[:30]:
        picture = product.images.all()[0]
        colour = palette[product.variants.all()[0].options["colour"]]
        with Image.open(picture.image.path) as image:
            image.load()

        for corner in ((2, 2), (image.width - 3, 2)):
            r, g, b = image.convert("RGB").getpixel(corner)
            assert min(r, g, b) > 215 and max(r, g, b) - min(r, g, b) < 16, product.title
        # The object fills a good part of the frame, in its colour (lit and shaded).
        assert _colour_share(image, colour, within=60) > 0.04, product.title


def test_picture_descriptions_use_the_right_article():
    alts = [image.alt_text for plan in demo_plan(products=200, seed=2024) for image in plan.images]

    assert not [alt for alt in alts if re.search(r": a [aeiou]", alt)]
    assert not [alt for alt in alts if re.search(r": an? [\w -]*(trousers|jeans|shorts) on", alt)]
    assert any(": an enamel mug on" in alt for alt in alts)
