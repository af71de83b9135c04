"""Build the demo shop in the database: `demo_catalog_build()` (`manage.py demo_data`).

Idempotent: rows are found by slug, username or SKU and only missing ones are created, and
pictures are only drawn for products that have none, so a second run writes nothing. Rows
are written through the catalogue's services, the same path admin takes; the pictures are
drawn (in threads: Pillow lets go of the GIL) before the transaction that stores them. It
is one transaction, so a failed build leaves nothing half made.
"""

import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from demo import specs
from demo.asks import asks_build
from demo.community import community_build
from demo.feed import feed_build, feed_settle
from demo.history import demo_history_ensure
from demo.likes import likes_build
from demo.people_you_may_know import people_you_may_know_build
from demo.pictures import logo_draw, picture_draw
from demo.plan import DEFAULT_PRODUCTS, DEFAULT_SEED, ImagePlan, ProductPlan, demo_plan
from demo.pools import pools_build
from demo.questions import questions_build
from demo.recommendations import recommendations_build
from demo.reputation import reputation_build
from demo.reviews import reviews_build
from demo.shares import shares_build
from demo.specs import DemoAccount
from demo.wishlists import wishlist_gift_addresses_build, wishlists_build
from shop.catalog import services
from shop.catalog.models import Category, Merchant, Product, ProductImage, Variant
from shop.core.images import image_renditions

# Drawn at twice the product page's picture, which is made from it: sharp on high-density
# screens (srcset 1x, 2x).
IMAGE_SIZE = 2 * services.DISPLAY_SIZE
LOGO_SIZE = 320
MEDIA_FOLDER = "catalog/demo"


@dataclass
class DemoResult:
    accounts: list[DemoAccount]
    created: dict[str, int]
    seconds: float


def _storage_put(name: str, data: bytes) -> str:
    # Fixed names keep reruns on a fresh database from piling up copies; a leftover file
    # of an earlier database is replaced.
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


def _account_ensure(account: DemoAccount, created: Counter, hashes: dict[str, str]):
    # Accounts have no creation service (people sign up through allauth's forms).
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
        # Hashing is slow on purpose; the merchants share a password, so hash it once a run.
        if account.password not in hashes:
            hashes[account.password] = make_password(account.password)
        user.password = hashes[account.password]
        user.save()
        created["accounts"] += 1
    _, made = EmailAddress.objects.get_or_create(
        user=user, email=account.email, defaults={"verified": True, "primary": True}
    )
    created["email addresses"] += made
    return user


def _merchants_ensure(created: Counter, hashes: dict[str, str]) -> dict[str, Merchant]:
    wanted = specs.merchants()
    merchants = {m.slug: m for m in Merchant.objects.filter(slug__in=[s.slug for s in wanted])}
    for spec in wanted:
        merchant = merchants.get(spec.slug)
        changed = merchant is None
        if merchant is None:
            merchant = Merchant(slug=spec.slug, name=spec.name, description=spec.description)
            created["merchants"] += 1
        if not merchant.logo:
            logo = logo_draw(name=spec.name, colour=spec.logo_colour, size=LOGO_SIZE)
            merchant.logo.name = _storage_put(f"{MEDIA_FOLDER}/logo-{spec.slug}.webp", logo)
            created["logos"] += 1
            changed = True
        if changed:
            merchants[spec.slug] = services.merchant_save(merchant=merchant)
        services.merchant_staff_add(
            merchant=merchant, user=_account_ensure(spec.staff, created, hashes)
        )
    return merchants


def _categories_ensure(created: Counter) -> dict[str, Category]:
    tree = specs.categories()
    categories = {c.slug: c for c in Category.objects.filter(slug__in=[s.slug for s in tree])}
    for position, spec in enumerate(tree):
        if spec.slug in categories:
            continue
        categories[spec.slug] = services.category_save(
            category=Category(
                slug=spec.slug,
                name=spec.name,
                description=spec.description,
                position=position,
                parent=categories[spec.parent] if spec.parent else None,
            )
        )
        created["categories"] += 1
    return categories


def _products_ensure(
    plans: list[ProductPlan], *, merchants, categories, created: Counter
) -> dict[str, Product]:
    slugs = [plan.slug for plan in plans]
    products = {p.slug: p for p in Product.objects.filter(slug__in=slugs)}
    new = [plan for plan in plans if plan.slug not in products]
    for plan in new:
        products[plan.slug] = services.product_save(
            product=Product(
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
        )
    created["products"] += len(new)
    if new:
        # created_at is auto_now_add and no service backdates a product: spread the new
        # ones over the last four months so "newest" and the admin's date drill-down look
        # like a shop that has been running.
        now = timezone.now()
        dated = []
        for plan in new:
            product = products[plan.slug]
            product.created_at = now - plan.age
            dated.append(product)
        Product.objects.bulk_update(dated, ["created_at"], batch_size=500)
    return products


def _variants_ensure(plans: list[ProductPlan], *, products, created: Counter) -> None:
    skus = [variant.sku for plan in plans for variant in plan.variants]
    existing = set(Variant.objects.filter(sku__in=skus).values_list("sku", flat=True))
    for plan in plans:
        for v in plan.variants:
            if v.sku in existing:
                continue
            services.variant_save(
                variant=Variant(
                    product=products[plan.slug],
                    sku=v.sku,
                    name=v.name,
                    options=v.options,
                    price=v.price,
                    compare_at_price=v.compare_at_price,
                    stock=v.stock,
                    position=v.position,
                )
            )
            created["variants"] += 1


def _pictures_todo(plans: list[ProductPlan]) -> list[tuple[ProductPlan, ImagePlan]]:
    with_images = set(
        ProductImage.objects.filter(product__slug__in=[plan.slug for plan in plans])
        .values_list("product__slug", flat=True)
        .distinct()
    )
    return [
        (plan, image) for plan in plans if plan.slug not in with_images for image in plan.images
    ]


def _pictures_draw(todo: list[tuple[ProductPlan, ImagePlan]]) -> list[tuple[bytes, bytes, bytes]]:
    def draw(item: tuple[ProductPlan, ImagePlan]) -> tuple[bytes, bytes, bytes]:
        image = item[1]
        full, thumb = picture_draw(
            picture=image.picture,
            colour=image.colour,
            seed=image.seed,
            size=IMAGE_SIZE,
            thumb=services.THUMBNAIL_SIZE,
        )
        [display] = image_renditions(full, sizes=[services.DISPLAY_SIZE])
        return full, thumb, display.read()

    with ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2))) as pool:
        return list(pool.map(draw, todo))


def _images_store(todo, pictures, *, products, created: Counter) -> None:
    for (plan, image), (full, thumb, display) in zip(todo, pictures, strict=True):
        stem = f"{MEDIA_FOLDER}/{plan.slug}-{image.position + 1}"
        # Our own drawings, encoded by us: they skip upload verification and are stored
        # under fixed names (see _storage_put); the row itself is saved by the service.
        product_image = ProductImage(
            product=products[plan.slug],
            alt_text=image.alt_text[:200],
            position=image.position,
            width=IMAGE_SIZE,
            height=IMAGE_SIZE,
        )
        product_image.image.name = _storage_put(f"{stem}.webp", full)
        product_image.thumbnail.name = _storage_put(f"{stem}-thumb.webp", thumb)
        product_image.display.name = _storage_put(f"{stem}-display.webp", display)
        # The drawing is the 2x picture itself.
        product_image.display_2x.name = product_image.image.name
        services.product_image_save(product_image=product_image)
        created["images"] += 1


def demo_catalog_build(*, products: int = DEFAULT_PRODUCTS, seed: int = DEFAULT_SEED) -> DemoResult:
    """Create whatever of the demo shop is missing; return the accounts and what was created.

    Safe to run again: nothing that exists is changed (passwords included: they are set
    when an account is first created).
    """
    started = time.monotonic()
    created: Counter = Counter()
    plans = demo_plan(products=products, seed=seed)
    # Drawing is the slow part and needs no database: do it before the transaction.
    todo = _pictures_todo(plans)
    pictures = _pictures_draw(todo)
    with transaction.atomic():
        hashes: dict[str, str] = {}
        for account in specs.accounts():
            _account_ensure(account, created, hashes)
        merchants = _merchants_ensure(created, hashes)
        categories = _categories_ensure(created)
        by_slug = _products_ensure(
            plans, merchants=merchants, categories=categories, created=created
        )
        _variants_ensure(plans, products=by_slug, created=created)
        _images_store(todo, pictures, products=by_slug, created=created)
        # Last: the shopper's past order buys from the catalogue just stocked.
        for account in specs.accounts():
            demo_history_ensure(
                account=account,
                plans=plans,
                merchants=specs.merchants(),
                created=created,
                now=timezone.now(),
            )
        community_build(created=created)
        people_you_may_know_build(created=created)
        # Reviews before the friends' other doings: the feed's first page is not all reviews.
        reviews_build(created=created, plans=plans)
        # Wishlists (announced in the feed) before the likes, so that the likes and purchases
        # stay on the feed's first page.
        wishlists_build(created=created)
        wishlist_gift_addresses_build(created=created)
        pools_build(created=created)
        # The friends' likes first: the feed's first page then opens on their purchases.
        likes_build(created=created)
        feed_build(created=created)
        shares_build(created=created)
        asks_build(created=created)
        recommendations_build(created=created)  # picks computed at the commit
        # After the friends' orders above: robin's purchase from a merchant, its questions.
        reputation_build(created=created)
        questions_build(created=created)
        # The catalogue's "new product" events are delivered at the commit, each product's
        # before this (on-commit callbacks run in the order they were registered).
        transaction.on_commit(feed_settle)
    return DemoResult(
        accounts=[*specs.accounts(), *(spec.staff for spec in specs.merchants())],
        created=dict(created),
        seconds=time.monotonic() - started,
    )
