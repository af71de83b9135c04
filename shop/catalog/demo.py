"""A believable demo shop: three merchants, a category tree, products with variants and
generated pictures, and accounts with known passwords (`manage.py demo_data`).

The build is deterministic (every choice comes from random.Random seeded by the product's
number, so the first 12 products are the same whether 12 or 200 are built) and idempotent:
rows are found by slug, username or SKU and only missing ones are created, pictures are only
drawn for products that have none. A second run writes nothing and takes a moment.
It is one transaction and bumps the catalogue version once, at the end, if anything changed.
"""

import io
import os
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

from shop.catalog import services
from shop.catalog.models import Category, Merchant, Product, ProductImage, Variant

DEFAULT_SEED = 2024
DEFAULT_PRODUCTS = 200
IMAGE_SIZE = 600
LOGO_SIZE = 320
MEDIA_FOLDER = "catalog/demo"

# --- accounts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str
    email: str
    password: str
    display_name: str
    merchant_slug: str = ""
    superuser: bool = False


ADMIN = DemoAccount(
    "operator (superuser)",
    "admin",
    "admin@agora.test",
    "agora-admin",
    "Agora Operator",
    superuser=True,
)
SHOPPER = DemoAccount("shopper", "shopper", "shopper@agora.test", "agora-shopper", "Sam Shopper")
MERCHANT_PASSWORD = "agora-merchant"


# --- merchants and categories ---------------------------------------------------------------


@dataclass(frozen=True)
class MerchantSpec:
    slug: str
    name: str
    code: str  # SKU prefix
    description: str
    brands: tuple[str, ...]
    palette: tuple[tuple[str, tuple[int, int, int]], ...]
    staff: DemoAccount


MERCHANTS = (
    MerchantSpec(
        slug="northwind-outfitters",
        name="Northwind Outfitters",
        code="NWO",
        description=(
            "Outdoor gear for long weekends and longer trips, tested on the ridges of the "
            "north before it reaches the shop."
        ),
        brands=("Northwind", "Ridgeline", "Fjellbu", "Summit & Co."),
        palette=(
            ("moss green", (94, 122, 78)),
            ("glacier blue", (92, 142, 170)),
            ("ember orange", (214, 110, 52)),
            ("slate grey", (96, 104, 112)),
            ("sand", (206, 186, 150)),
        ),
        staff=DemoAccount(
            "merchant staff",
            "outdoor",
            "outdoor@agora.test",
            MERCHANT_PASSWORD,
            "Olivia Outdoor",
            merchant_slug="northwind-outfitters",
        ),
    ),
    MerchantSpec(
        slug="hearth-and-loom",
        name="Hearth & Loom",
        code="HAL",
        description=(
            "A homeware studio making stoneware, linen and lamps in small batches, "
            "for tables that get used every day."
        ),
        brands=("Hearth & Loom", "Kiln Street", "Linen Lab"),
        palette=(
            ("terracotta", (190, 104, 78)),
            ("oat", (222, 208, 180)),
            ("sage", (150, 170, 140)),
            ("charcoal", (62, 62, 66)),
            ("ochre", (204, 150, 58)),
        ),
        staff=DemoAccount(
            "merchant staff",
            "homeware",
            "homeware@agora.test",
            MERCHANT_PASSWORD,
            "Hugo Homeware",
            merchant_slug="hearth-and-loom",
        ),
    ),
    MerchantSpec(
        slug="maison-verte",
        name="Maison Verte",
        code="MVE",
        description=(
            "A small fashion label cutting organic cotton, merino and recycled wool into "
            "clothes meant to be worn for years."
        ),
        brands=("Maison Verte", "Atelier Sud"),
        palette=(
            ("navy", (40, 56, 92)),
            ("bottle green", (30, 88, 64)),
            ("ecru", (234, 226, 206)),
            ("burgundy", (120, 36, 52)),
            ("camel", (190, 146, 98)),
            ("black", (28, 28, 30)),
        ),
        staff=DemoAccount(
            "merchant staff",
            "fashion",
            "fashion@agora.test",
            MERCHANT_PASSWORD,
            "Fiona Fashion",
            merchant_slug="maison-verte",
        ),
    ),
)


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    name: str
    parent: str = ""  # parent slug; "" for a root
    merchant: str = ""  # merchant slug selling in this (leaf) category
    nouns: tuple[str, ...] = ()
    materials: tuple[str, ...] = ()
    axis: str = ""  # size | colour | set | capacity
    price: tuple[int, int] = (10, 50)  # whole euros
    description: str = ""
    care: tuple[str, ...] = ()
    weight: tuple[int, int] | None = None  # grams, for gear where weight matters


CATEGORIES = (
    CategorySpec(
        "outdoor", "Outdoor & camping", description="Tents, packs and kit for nights outside."
    ),
    CategorySpec(
        "home", "Home & living", description="Things for the table, the sofa and the shelf."
    ),
    CategorySpec("clothing", "Clothing", description="Everyday clothes from small labels."),
    CategorySpec(
        "tents",
        "Tents",
        "outdoor",
        "northwind-outfitters",
        ("2-Person Tent", "Ultralight Tent", "Tunnel Tent", "Bivvy Shelter", "Tarp"),
        ("ripstop nylon", "silnylon", "polyester"),
        "colour",
        (89, 449),
        care=("Pitch to dry before storing.", "Rinse with fresh water; no detergents."),
        weight=(900, 2600),
    ),
    CategorySpec(
        "backpacks",
        "Backpacks",
        "outdoor",
        "northwind-outfitters",
        ("30L Daypack", "45L Trekking Pack", "Roll-top Pack", "Hip Pack", "65L Expedition Pack"),
        ("recycled nylon", "waxed canvas", "cordura"),
        "colour",
        (39, 229),
        care=("Sponge clean with mild soap.", "Hang to dry away from direct heat."),
        weight=(350, 2200),
    ),
    CategorySpec(
        "sleeping",
        "Sleeping gear",
        "outdoor",
        "northwind-outfitters",
        ("Down Sleeping Bag", "Synthetic Sleeping Bag", "Sleeping Mat", "Camp Pillow", "Quilt"),
        ("responsible down", "recycled polyester", "merino lining"),
        "capacity",
        (25, 349),
        care=("Store loose, never compressed.", "Wash with down soap at 30 °C."),
        weight=(300, 1600),
    ),
    CategorySpec(
        "camp-kitchen",
        "Camp kitchen",
        "outdoor",
        "northwind-outfitters",
        ("Titanium Mug", "Stove", "Cook Set", "Spork", "Insulated Bottle", "Coffee Press"),
        ("titanium", "stainless steel", "anodised aluminium"),
        "colour",
        (9, 129),
        care=("Hand wash in warm water.", "Dry fully before packing away."),
        weight=(20, 900),
    ),
    CategorySpec(
        "kitchen-dining",
        "Kitchen & dining",
        "home",
        "hearth-and-loom",
        ("Serving Board", "Salad Bowl", "Cutlery Set", "Teapot", "Carafe", "Butter Dish"),
        ("oak", "walnut", "stoneware", "glass"),
        "set",
        (14, 129),
        care=("Hand wash only.", "Oil wooden parts now and then."),
    ),
    CategorySpec(
        "ceramics",
        "Ceramics",
        "home",
        "hearth-and-loom",
        ("Dinner Plate", "Mug", "Vase", "Pasta Bowl", "Espresso Cup", "Planter"),
        ("stoneware", "porcelain", "earthenware"),
        "set",
        (12, 119),
        care=("Dishwasher and microwave safe.", "Hand washing keeps the glaze bright."),
    ),
    CategorySpec(
        "textiles",
        "Textiles",
        "home",
        "hearth-and-loom",
        ("Linen Tablecloth", "Wool Throw", "Cushion Cover", "Tea Towel", "Bath Towel"),
        ("washed linen", "lambswool", "organic cotton"),
        "colour",
        (15, 189),
        care=("Machine wash at 40 °C.", "Wash at 30 °C and dry flat."),
    ),
    CategorySpec(
        "lighting",
        "Lighting",
        "home",
        "hearth-and-loom",
        ("Table Lamp", "Pendant Shade", "Candle Holder", "Floor Lamp", "Wall Light"),
        ("brass", "paper", "ceramic", "oak"),
        "colour",
        (29, 329),
        care=("Dust with a dry cloth.", "Use an E27 LED bulb up to 8 W."),
    ),
    CategorySpec(
        "knitwear",
        "Knitwear",
        "clothing",
        "maison-verte",
        ("Crew Jumper", "Cardigan", "Roll-neck", "Knitted Vest", "Beanie"),
        ("merino wool", "recycled cashmere", "organic cotton"),
        "size",
        (29, 189),
        care=("Hand wash cold and dry flat.", "Air between wears; wash rarely."),
    ),
    CategorySpec(
        "shirts-tops",
        "Shirts & tops",
        "clothing",
        "maison-verte",
        ("Oxford Shirt", "Linen Shirt", "Heavy T-shirt", "Breton Top", "Overshirt"),
        ("organic cotton", "linen", "hemp"),
        "size",
        (25, 119),
        care=("Machine wash at 30 °C.", "Line dry; iron while damp."),
    ),
    CategorySpec(
        "outerwear",
        "Outerwear",
        "clothing",
        "maison-verte",
        ("Wool Coat", "Chore Jacket", "Rain Jacket", "Quilted Gilet", "Trench Coat"),
        ("recycled wool", "waxed cotton", "recycled polyester"),
        "size",
        (89, 399),
        care=("Dry clean only.", "Re-wax once a season.", "Machine wash at 30 °C; reproof after."),
    ),
    CategorySpec(
        "trousers",
        "Trousers",
        "clothing",
        "maison-verte",
        ("Pleated Trousers", "Straight Jeans", "Wide Chinos", "Cord Trousers", "Shorts"),
        ("organic denim", "cotton twill", "corduroy"),
        "size",
        (45, 159),
        care=("Wash inside out at 30 °C.", "Line dry to keep the shape."),
    ),
    CategorySpec(
        "accessories",
        "Accessories",
        "clothing",
        "maison-verte",
        ("Tote Bag", "Leather Belt", "Silk Scarf", "Wool Cap", "Card Wallet"),
        ("vegetable-tanned leather", "organic canvas", "silk"),
        "colour",
        (19, 149),
        care=("Wipe clean; condition leather yearly.", "Spot clean only."),
    ),
)
LEAF_CATEGORIES = tuple(spec for spec in CATEGORIES if spec.parent)

ADJECTIVES = (
    "Alpine",
    "Fjord",
    "Harbour",
    "Meadow",
    "Atlas",
    "Cedar",
    "Linden",
    "Coastal",
    "Ember",
    "Birch",
    "Tundra",
    "Solstice",
    "Heath",
    "Granite",
    "Willow",
    "Aster",
    "Dune",
    "Orchard",
    "Marlow",
    "Juniper",
    "Nordic",
    "Riviera",
    "Pebble",
    "Hollow",
    "Saffron",
    "Cobalt",
)
SIZES = ("XS", "S", "M", "L", "XL")
SETS = (("Single", 1), ("Set of 2", 2), ("Set of 4", 4), ("Set of 6", 6))
CAPACITIES = ("Regular", "Long", "Wide", "Junior")
BENEFITS = (
    "Built to be repaired rather than replaced.",
    "Designed in our studio and made in small runs.",
    "Light enough to forget, tough enough to keep for years.",
    "A quiet piece that goes with everything you already own.",
    "Tested for a season by our own team before it went on sale.",
)
ORIGINS = ("Portugal", "Lithuania", "Norway", "Italy", "France", "Vietnam", "Scotland")
SHAPES = ("circle", "square", "triangle", "diamond")


# --- the plan: pure data, no database -------------------------------------------------------


@dataclass
class VariantPlan:
    sku: str
    name: str
    options: dict
    price: int
    compare_at_price: int | None
    stock: int
    position: int


@dataclass
class ImagePlan:
    colour_name: str
    colour: tuple[int, int, int]
    shape: str
    alt_text: str
    position: int


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
    initials: str
    variants: list[VariantPlan] = field(default_factory=list)
    images: list[ImagePlan] = field(default_factory=list)


def _price(rng: random.Random, low: int, high: int) -> int:
    # Shop prices: 49.00, 48.95 or 48.99 (always whole cents, never a float).
    return rng.randint(low, high) * 100 - rng.choice((0, 0, 5, 1))


def _variants_plan(
    rng: random.Random, *, code: str, number: int, spec: CategorySpec, palette
) -> list[VariantPlan]:
    count = rng.choices((1, 2, 3, 4), weights=(3, 3, 3, 2))[0]
    base = _price(rng, *spec.price)
    if spec.axis == "size":
        start = rng.randint(0, len(SIZES) - count)
        colour = rng.choice(palette)[0]
        values = [
            ({"size": size, "colour": colour}, f"{size} / {colour.capitalize()}", 0)
            for size in SIZES[start : start + count]
        ]
    elif spec.axis == "set":
        # Sets cost a little less per piece, in whole euros.
        values = [
            ({"pieces": pieces}, name, base * (pieces - 1) * 85 // 10000 * 100)
            for name, pieces in SETS[:count]
        ]
    elif spec.axis == "capacity":
        values = [({"fit": fit}, fit, index * 1500) for index, fit in enumerate(CAPACITIES[:count])]
    else:
        colours = rng.sample([name for name, _ in palette], k=min(count, len(palette)))
        values = [({"colour": name}, name.capitalize(), 0) for name in colours]
    # A quarter of products are on sale: every variant at the same discount.
    markup = rng.choice((120, 125, 130, 150)) if rng.random() < 0.25 else None
    variants = []
    for position, (options, name, extra) in enumerate(values):
        price = base + extra
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


def _product_plan(*, number: int, seed: int, taken: set[str]) -> ProductPlan:
    rng = random.Random(f"{seed}-{number}")
    spec = LEAF_CATEGORIES[number % len(LEAF_CATEGORIES)]
    merchant = next(m for m in MERCHANTS if m.slug == spec.merchant)
    noun = rng.choice(spec.nouns)
    title = f"{rng.choice(ADJECTIVES)} {noun}"
    for adjective in rng.sample(ADJECTIVES, k=len(ADJECTIVES)):
        if slugify(title) not in taken:
            break
        title = f"{adjective} {noun}"
    slug = slugify(title)
    if slug in taken:  # Every adjective is used for this noun: number the edition.
        title = f"{title} No. {number}"
        slug = slugify(title)
    taken.add(slug)

    material = rng.choice(spec.materials)
    brand = rng.choice(merchant.brands)
    care = rng.choice(spec.care)
    attributes = {"material": material, "made in": rng.choice(ORIGINS), "care": care.rstrip(".")}
    if spec.weight:
        attributes["weight"] = f"{rng.randint(*spec.weight) // 10 * 10} g"
    description = f"The {title} by {brand} is made of {material}. {rng.choice(BENEFITS)} {care}"
    initials = "".join(word[0] for word in title.split()[:2] if word[0].isalnum()).upper()
    plan = ProductPlan(
        slug=slug,
        title=title,
        merchant_slug=merchant.slug,
        category_slug=spec.slug,
        brand=brand,
        description=description,
        attributes=attributes,
        is_published=rng.random() < 0.95,
        is_featured=rng.random() < 0.1,
        units_sold=rng.randint(1, 400) if rng.random() < 0.3 else 0,
        age=timedelta(days=rng.uniform(0, 120)),
        initials=initials or "A",
    )
    plan.variants = _variants_plan(
        rng, code=merchant.code, number=number, spec=spec, palette=merchant.palette
    )
    for position in range(rng.choice((1, 1, 2))):
        colour_name, colour = rng.choice(merchant.palette)
        shape = rng.choice(SHAPES)
        view = "front view" if position == 0 else "detail"
        plan.images.append(
            ImagePlan(
                colour_name=colour_name,
                colour=colour,
                shape=shape,
                position=position,
                alt_text=f"{title} by {brand}, {view}: a {shape} with the letters {plan.initials} "
                f"on {'an' if colour_name[0] in 'aeiou' else 'a'} {colour_name} background",
            )
        )
    return plan


def demo_plan(*, products: int, seed: int) -> list[ProductPlan]:
    """Return what the demo shop holds; the same seed gives the same shop."""
    taken: set[str] = set()
    return [
        _product_plan(number=number, seed=seed, taken=taken) for number in range(1, products + 1)
    ]


# --- pictures -------------------------------------------------------------------------------


def _contrast(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    luminance = 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]
    return (32, 32, 36) if luminance > 150 else (250, 248, 242)


def _tint(colour: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    return tuple(int(c + (255 - c) * amount) for c in colour)


def _webp(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # method=2: a third of the time of the default, and smaller files for flat drawings.
    image.save(out, "WEBP", quality=80, method=2)
    return out.getvalue()


def _picture(*, initials: str, colour: tuple[int, int, int], shape: str, size: int) -> bytes:
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    light = _tint(colour, 0.35)
    margin = size // 6
    box = (margin, margin, size - margin, size - margin)
    if shape == "circle":
        draw.ellipse(box, fill=light)
    elif shape == "square":
        draw.rounded_rectangle(box, radius=size // 12, fill=light)
    elif shape == "triangle":
        draw.polygon(
            [(size // 2, margin), (size - margin, size - margin), (margin, size - margin)],
            fill=light,
        )
    else:
        draw.polygon(
            [
                (size // 2, margin),
                (size - margin, size // 2),
                (size // 2, size - margin),
                (margin, size // 2),
            ],
            fill=light,
        )
    font = ImageFont.load_default(size=size // 4)
    draw.text(
        (size // 2, size // 2 + (size // 20 if shape == "triangle" else 0)),
        initials,
        font=font,
        fill=_contrast(light),
        anchor="mm",
    )
    return _webp(image)


def picture_draw(
    *,
    initials: str,
    colour: tuple[int, int, int],
    shape: str,
    size: int = IMAGE_SIZE,
    thumb: int = services.THUMBNAIL_SIZE,
) -> tuple[bytes, bytes]:
    """Draw a product picture (background, a shape, the initials); return it and a thumbnail.

    The thumbnail is drawn again at its size: drawing takes a millisecond, resampling ten.
    """
    return (
        _picture(initials=initials, colour=colour, shape=shape, size=size),
        _picture(initials=initials, colour=colour, shape=shape, size=thumb),
    )


def _storage_put(name: str, data: bytes) -> str:
    # Fixed names keep reruns from piling up copies; a leftover file of an earlier database
    # is replaced.
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


# --- the build ------------------------------------------------------------------------------


@dataclass
class DemoResult:
    accounts: list[DemoAccount]
    created: dict[str, int]
    seconds: float


def _account_ensure(account: DemoAccount, created: dict[str, int]):
    User = get_user_model()
    user = User.objects.filter(username__iexact=account.username).first()
    if user is None:
        user = User(
            username=account.username,
            email=account.email,
            display_name=account.display_name,
            is_staff=account.superuser,
            is_superuser=account.superuser,
        )
        user.set_password(account.password)
        user.save()
        created["accounts"] += 1
    _, made = EmailAddress.objects.get_or_create(
        user=user, email=account.email, defaults={"verified": True, "primary": True}
    )
    created["email addresses"] += made
    return user


def _merchants_ensure(created: dict[str, int]) -> dict[str, Merchant]:
    merchants = {m.slug: m for m in Merchant.objects.filter(slug__in=[s.slug for s in MERCHANTS])}
    for spec in MERCHANTS:
        merchant = merchants.get(spec.slug)
        if merchant is None:
            merchant = Merchant.objects.create(
                slug=spec.slug, name=spec.name, description=spec.description
            )
            merchants[spec.slug] = merchant
            created["merchants"] += 1
        if not merchant.logo:
            initials = "".join(word[0] for word in spec.name.split() if word[0].isalpha())[:2]
            logo, _ = picture_draw(
                initials=initials,
                colour=spec.palette[0][1],
                shape="circle",
                size=LOGO_SIZE,
                thumb=64,
            )
            merchant.logo.name = _storage_put(f"{MEDIA_FOLDER}/logo-{spec.slug}.webp", logo)
            merchant.save(update_fields=["logo"])
            created["logos"] += 1
        user = _account_ensure(spec.staff, created)
        services.merchant_staff_add(merchant=merchant, user=user)
    return merchants


def _categories_ensure(created: dict[str, int]) -> dict[str, Category]:
    categories = {c.slug: c for c in Category.objects.filter(slug__in=[s.slug for s in CATEGORIES])}
    for position, spec in enumerate(CATEGORIES):
        if spec.slug in categories:
            continue
        categories[spec.slug] = Category.objects.create(
            slug=spec.slug,
            name=spec.name,
            description=spec.description,
            position=position,
            parent=categories[spec.parent] if spec.parent else None,
        )
        created["categories"] += 1
    return categories


def _products_ensure(
    plans: list[ProductPlan], *, merchants, categories, created: dict[str, int]
) -> dict[str, Product]:
    slugs = [plan.slug for plan in plans]
    existing = set(Product.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    new = [
        Product(
            slug=plan.slug,
            title=plan.title,
            merchant=merchants[plan.merchant_slug],
            category=categories[plan.category_slug],
            brand=plan.brand,
            description=plan.description,
            attributes=plan.attributes,
            is_published=plan.is_published,
            is_featured=plan.is_featured,
            units_sold=plan.units_sold,
        )
        for plan in plans
        if plan.slug not in existing
    ]
    Product.objects.bulk_create(new, batch_size=500)
    created["products"] += len(new)
    products = {p.slug: p for p in Product.objects.filter(slug__in=slugs)}
    if new:
        # created_at is auto_now_add; spread the new products over the last four months so
        # "newest" and the admin's date drill-down look like a shop that has been running.
        now = timezone.now()
        ages = {plan.slug: plan.age for plan in plans}
        dated = []
        for product in (products[p.slug] for p in new):
            product.created_at = now - ages[product.slug]
            dated.append(product)
        Product.objects.bulk_update(dated, ["created_at"], batch_size=500)
    return products


def _variants_ensure(plans: list[ProductPlan], *, products, created: dict[str, int]) -> None:
    skus = [variant.sku for plan in plans for variant in plan.variants]
    existing = set(Variant.objects.filter(sku__in=skus).values_list("sku", flat=True))
    new = [
        Variant(
            product=products[plan.slug],
            sku=v.sku,
            name=v.name,
            options=v.options,
            price=v.price,
            compare_at_price=v.compare_at_price,
            stock=v.stock,
            position=v.position,
        )
        for plan in plans
        for v in plan.variants
        if v.sku not in existing
    ]
    Variant.objects.bulk_create(new, batch_size=500)
    created["variants"] += len(new)


def _images_ensure(plans: list[ProductPlan], *, products, created: dict[str, int]) -> None:
    with_images = set(
        ProductImage.objects.filter(product__in=list(products.values())).values_list(
            "product_id", flat=True
        )
    )
    todo = [
        (plan, image)
        for plan in plans
        if products[plan.slug].pk not in with_images
        for image in plan.images
    ]
    if not todo:
        return

    def draw(item):
        plan, image = item
        return picture_draw(initials=plan.initials, colour=image.colour, shape=image.shape)

    # Pillow lets go of the GIL while encoding, so threads use every core.
    with ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2))) as pool:
        pictures = list(pool.map(draw, todo))
    rows = []
    for (plan, image), (full, thumb) in zip(todo, pictures, strict=True):
        stem = f"{MEDIA_FOLDER}/{plan.slug}-{image.position + 1}"
        rows.append(
            ProductImage(
                product=products[plan.slug],
                alt_text=image.alt_text[:200],
                position=image.position,
                image=_storage_put(f"{stem}.webp", full),
                thumbnail=_storage_put(f"{stem}-thumb.webp", thumb),
                width=IMAGE_SIZE,
                height=IMAGE_SIZE,
            )
        )
    ProductImage.objects.bulk_create(rows, batch_size=500)
    created["images"] += len(rows)


@transaction.atomic
def demo_catalog_build(*, products: int = DEFAULT_PRODUCTS, seed: int = DEFAULT_SEED) -> DemoResult:
    """Create whatever of the demo shop is missing; return the accounts and what was created.

    Safe to run again: nothing that exists is changed (passwords included: they are set
    when an account is first created).
    """
    started = time.monotonic()
    created = dict.fromkeys(
        (
            "accounts",
            "email addresses",
            "merchants",
            "logos",
            "categories",
            "products",
            "variants",
            "images",
        ),
        0,
    )
    _account_ensure(ADMIN, created)
    _account_ensure(SHOPPER, created)
    merchants = _merchants_ensure(created)
    categories = _categories_ensure(created)
    plans = demo_plan(products=products, seed=seed)
    by_slug = _products_ensure(plans, merchants=merchants, categories=categories, created=created)
    _variants_ensure(plans, products=by_slug, created=created)
    _images_ensure(plans, products=by_slug, created=created)
    if any(
        created[key]
        for key in ("merchants", "logos", "categories", "products", "variants", "images")
    ):
        services.catalog_changed()
    return DemoResult(
        accounts=[ADMIN, *(spec.staff for spec in MERCHANTS), SHOPPER],
        created=created,
        seconds=time.monotonic() - started,
    )
