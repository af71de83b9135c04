"""What the demo shop holds, as pure data (no database): `demo_plan()`.

Every choice comes from random.Random seeded by the seed and the product's number, so the
first 12 products are the same whether 12 or 200 are planned. A product is an adjective and
a kind of product (demo/data/catalogue.toml); its material, colours, price, description and
pictures all come from that kind, so they agree with one another and with its name.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils.text import slugify

from demo import specs
from demo.specs import RGB, CategorySpec, KindSpec, MerchantSpec

DEFAULT_SEED = 2024
DEFAULT_PRODUCTS = 200
# Pictures per product: one per colour variant, at most this many (one for other axes).
MAX_PICTURES = 2


@dataclass
class VariantPlan:
    sku: str
    name: str
    options: dict
    price: int  # cents
    compare_at_price: int | None
    stock: int
    position: int


@dataclass
class ImagePlan:
    picture: str  # the drawing, a key of demo.pictures.DRAWINGS
    colour_name: str
    colour: RGB
    alt_text: str
    position: int
    seed: int  # small variations of the drawing (shading, details)


@dataclass
class ProductPlan:
    slug: str
    title: str
    merchant_slug: str
    category_slug: str
    brand: str
    description: str
    attributes: dict
    is_published: bool
    is_featured: bool
    units_sold: int
    age: timedelta
    variants: list[VariantPlan] = field(default_factory=list)
    images: list[ImagePlan] = field(default_factory=list)


def _price(rng: random.Random, low: int, high: int) -> int:
    # Shop prices: 49.00, 48.95 or 48.99 (always whole cents, never a float).
    return rng.randint(low, high) * 100 - rng.choice((0, 0, 5, 1))


def _options(
    rng: random.Random, *, kind: KindSpec, colours: tuple[str, ...], base: int
) -> list[tuple[dict, str, int, str]]:
    """Return (options, name, price, colour name) per variant along the kind's axis."""
    axes = specs.words().axes
    count = rng.choices((1, 2, 3, 4), weights=(3, 3, 3, 2))[0]
    one_colour = rng.choice(colours)
    if kind.axis == "colour":
        picked = rng.sample(colours, k=min(count, len(colours)))
        return [({"colour": c}, c.capitalize(), base, c) for c in picked]
    if kind.axis in ("size", "shoe"):
        values = axes[kind.axis]
        count = max(count, 2)  # clothes come in more than one size
        start = rng.randint(0, len(values) - count)
        label = one_colour.capitalize()
        return [
            ({"size": size, "colour": one_colour}, f"{size} / {label}", base, one_colour)
            for size in values[start : start + count]
        ]
    if kind.axis == "set":
        # A set costs a little less per piece, rounded to whole euros.
        return [
            (
                {"pieces": pieces, "colour": one_colour},
                name,
                base if pieces == 1 else base * pieces * 85 // 10000 * 100 - 1,
                one_colour,
            )
            for name, pieces in axes["set"][:count]
        ]
    # fit, dimension, capacity: each step up costs a fifth more.
    values = axes[kind.axis][: min(count, len(axes[kind.axis]))]
    key = {"fit": "fit", "dimension": "size", "capacity": "capacity"}[kind.axis]
    return [
        ({key: value, "colour": one_colour}, value, base + base * step // 500 * 100, one_colour)
        for step, value in enumerate(values)
    ]


def _variants_plan(
    rng: random.Random, *, code: str, number: int, kind: KindSpec, colours: tuple[str, ...]
) -> list[VariantPlan]:
    base = _price(rng, *kind.price)
    rows = _options(rng, kind=kind, colours=colours, base=base)
    # A quarter of products are on sale: every variant at the same discount.
    markup = rng.choice((120, 125, 130, 150)) if rng.random() < 0.25 else None
    variants = []
    for position, (options, name, price, _colour) in enumerate(rows):
        compare_at = None
        if markup:
            compare_at = max((price * markup // 100 + 99) // 100 * 100, price + 100)
        stock = 0 if rng.random() < 0.12 else rng.randint(1, 60)
        variants.append(
            VariantPlan(
                sku=f"{code}-{number:04d}-{position + 1}",
                name=name,
                options=options,
                price=price,
                compare_at_price=compare_at,
                stock=stock,
                position=position,
            )
        )
    return variants


def _title(rng: random.Random, *, noun: str, number: int, taken: set[str]) -> str:
    adjectives = specs.words().adjectives
    for adjective in [rng.choice(adjectives), *rng.sample(adjectives, k=len(adjectives))]:
        title = f"{adjective} {noun}"
        if slugify(title) not in taken:
            return title
    return f"{title} No. {number}"  # Every adjective is used for this noun: number it.


def _description(
    rng: random.Random, *, kind: KindSpec, title: str, brand: str, material: str, origin: str
) -> str:
    words = specs.words()
    made = rng.choice(words.material_sentences).format(
        material=material,
        Material=material[0].upper() + material[1:],
        origin=origin,
        brand=brand,
        title=title,
    )
    about = rng.choice(kind.about)
    closing = rng.choice(words.benefits)
    # Vary the order too, so a page of products does not read like one sentence repeated.
    parts = rng.choice(([about, made, closing], [about, closing, made], [made, about]))
    return " ".join(parts)


def _alt_text(*, title: str, brand: str, colour_name: str, noun: str) -> str:
    thing = noun.lower()
    if not (thing.endswith("s") and not thing.endswith("ss")):  # "jeans", not "a jeans"
        thing = f"{'an' if thing[0] in 'aeiou' else 'a'} {thing}"
    return f"{title} by {brand} in {colour_name}: {thing} on a light background"


def _product_plan(*, number: int, seed: int, taken: set[str]) -> ProductPlan:
    rng = random.Random(f"{seed}-{number}")
    leaves = specs.leaf_categories()
    category: CategorySpec = leaves[number % len(leaves)]
    merchant: MerchantSpec = next(m for m in specs.merchants() if m.slug == category.merchant)
    kind = rng.choice(category.kinds)
    title = _title(rng, noun=kind.noun, number=number, taken=taken)
    slug = slugify(title)
    taken.add(slug)

    material = rng.choice(kind.materials)
    colours = kind.colours_for(material)
    brand = rng.choice(merchant.brands)
    origin = rng.choice(specs.words().origins)
    care = rng.choice(category.care)
    attributes = {"material": material, "made in": origin, "care": care.rstrip(".")}
    if kind.weight:
        attributes["weight"] = f"{rng.randint(*kind.weight) // 10 * 10} g"
    description = _description(
        rng, kind=kind, title=title, brand=brand, material=material, origin=origin
    )
    plan = ProductPlan(
        slug=slug,
        title=title,
        merchant_slug=merchant.slug,
        category_slug=category.slug,
        brand=brand,
        description=f"{description} {care}",
        attributes=attributes,
        is_published=rng.random() < 0.95,
        is_featured=rng.random() < 0.1,
        units_sold=rng.randint(1, 400) if rng.random() < 0.3 else 0,
        age=timedelta(days=rng.uniform(0, 120)),
    )
    plan.variants = _variants_plan(
        rng, code=merchant.code, number=number, kind=kind, colours=colours
    )
    # The pictures show the colours on sale: one per colour variant, first variant first.
    shown = list(dict.fromkeys(v.options["colour"] for v in plan.variants))[:MAX_PICTURES]
    palette = specs.words().colours
    for position, colour_name in enumerate(shown):
        plan.images.append(
            ImagePlan(
                picture=kind.picture,
                colour_name=colour_name,
                colour=palette[colour_name],
                position=position,
                seed=rng.randrange(1 << 30),
                alt_text=_alt_text(
                    title=title, brand=brand, colour_name=colour_name, noun=kind.noun
                ),
            )
        )
    return plan


def demo_plan(*, products: int, seed: int) -> list[ProductPlan]:
    """Return what the demo shop holds; the same seed gives the same shop."""
    taken: set[str] = set()
    return [
        _product_plan(number=number, seed=seed, taken=taken) for number in range(1, products + 1)
    ]
