"""Every write to the catalogue. Each one moves a cache version on commit (cache_versions):
a change of products, variants, images, categories or merchants the catalogue version, which
invalidates every cached catalogue fragment; an order's stock take or release only the
versions of the products whose stock it changed.

Services that take `by` (the staff user acting, None for the system) refuse rows of a
merchant `by` does not manage with NOT_YOUR_MERCHANT; superusers manage every merchant.
"""

from collections.abc import Callable, Iterable
from functools import partial

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import F, Q, QuerySet

from shop.catalog import cache_versions, events
from shop.catalog.errors import CatalogError
from shop.catalog.models import Category, Merchant, Product, ProductImage, Variant
from shop.core.errors import DomainError
from shop.core.images import VerifiedImage, image_renditions

THUMBNAIL_SIZE = 480
# The product page's main picture: its column is at most about 560 CSS pixels wide, and it is
# also stored at twice this size for high-density screens.
DISPLAY_SIZE = 640

# The admin group every merchant's staff belongs to. Migration 0002 creates it with these
# permissions; merchant_staff_group_ensure() repairs it (a flushed test database, a group
# edited by hand). Which rows a member sees is decided by the admin's querysets, not here.
MERCHANT_STAFF_GROUP = "Merchant staff"
MERCHANT_STAFF_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "product": ("view", "add", "change", "delete"),
    "variant": ("view", "add", "change", "delete"),
    "productimage": ("view", "add", "change", "delete"),
    "merchant": ("view", "change"),
    "category": ("view",),
}


def catalog_changed() -> None:
    """Invalidate cached catalogue reads once the current transaction commits."""
    transaction.on_commit(cache_versions.catalog_version_bump)


def _not_your_merchant() -> DomainError:
    return DomainError(
        "You can only manage products of your own merchant.",
        code=CatalogError.NOT_YOUR_MERCHANT,
        field="merchant",
    )


def _restricted(by) -> bool:
    """Whether `by` is limited to their own merchants (the system and superusers are not)."""
    return by is not None and not by.is_superuser


def _check_merchant_access(*, merchant_ids: Iterable[int], by) -> None:
    """Raise NOT_YOUR_MERCHANT unless `by` manages every merchant in `merchant_ids`."""
    if not _restricted(by):
        return
    wanted = {merchant_id for merchant_id in merchant_ids if merchant_id is not None}
    if not wanted:
        return
    managed = set(
        Merchant.staff.through.objects.filter(user_id=by.pk, merchant_id__in=wanted).values_list(
            "merchant_id", flat=True
        )
    )
    if wanted - managed:
        raise _not_your_merchant()


# --- merchants and their staff --------------------------------------------------------------


def merchant_staff_group_ensure() -> Group:
    """Return the "Merchant staff" group, creating it or restoring its permissions."""
    group, _ = Group.objects.get_or_create(name=MERCHANT_STAFF_GROUP)
    wanted = Q(pk__in=[])
    for model, actions in MERCHANT_STAFF_PERMISSIONS.items():
        wanted |= Q(
            content_type__app_label="catalog",
            codename__in=[f"{action}_{model}" for action in actions],
        )
    permissions = set(Permission.objects.filter(wanted).values_list("pk", flat=True))
    current = set(group.permissions.values_list("pk", flat=True))
    if permissions - current:
        group.permissions.add(*(permissions - current))
    return group


@transaction.atomic
def merchant_staff_add(*, merchant: Merchant, user) -> None:
    """Let `user` manage `merchant` in admin: staff status, the group, the merchant's staff.

    Safe to call again for someone who is already staff of the merchant (changes nothing).
    """
    group = merchant_staff_group_ensure()
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(group)
    merchant.staff.add(user)


@transaction.atomic
def merchant_staff_remove(*, merchant: Merchant, user) -> None:
    """Stop `user` managing `merchant`; with no merchant left they also leave the group.

    Staff status is kept: the person may be staff for other reasons (an operator).
    """
    merchant.staff.remove(user)
    if not Merchant.objects.filter(staff=user).exists():
        user.groups.remove(*Group.objects.filter(name=MERCHANT_STAFF_GROUP))


@transaction.atomic
def merchant_staff_set(*, merchant: Merchant, users: Iterable) -> None:
    """Make `users` exactly the staff of `merchant`, adding and removing through the above."""
    wanted = {user.pk: user for user in users}
    current = {user.pk: user for user in merchant.staff.all()}
    for pk in wanted.keys() - current.keys():
        merchant_staff_add(merchant=merchant, user=wanted[pk])
    for pk in current.keys() - wanted.keys():
        merchant_staff_remove(merchant=merchant, user=current[pk])


@transaction.atomic
def merchant_save(*, merchant: Merchant, logo: VerifiedImage | None = None, by=None) -> Merchant:
    """Create or update a merchant, with `logo` replacing its logo.

    Only superusers (or the system, by=None) create merchants; staff edit their own.
    Raises NOT_YOUR_MERCHANT.
    """
    if merchant.pk is None:
        if by is not None and not by.is_superuser:
            raise _not_your_merchant()
    else:
        _check_merchant_access(merchant_ids=[merchant.pk], by=by)
    if logo is not None:
        merchant.logo.save(logo.content.name, logo.content, save=False)
    merchant.save()
    catalog_changed()
    return merchant


# --- products -------------------------------------------------------------------------------


@transaction.atomic
def product_save(*, product: Product, by=None) -> Product:
    """Create or update a product. `by` (a staff user) must belong to its merchant, and for
    an existing product also to the merchant it had before (no moving others' products).

    Raises NOT_YOUR_MERCHANT.
    """
    stored = (
        Product.objects.filter(pk=product.pk).values("merchant_id", "is_published").first()
        if product.pk
        else None
    )
    merchant_ids = [product.merchant_id]
    if stored is not None:
        merchant_ids.append(stored["merchant_id"])
    _check_merchant_access(merchant_ids=merchant_ids, by=by)
    was_published = bool(stored and stored["is_published"])
    product.save()
    if product.is_published and not was_published:
        transaction.on_commit(
            partial(events.product_published.send, sender=Product, product_id=product.pk)
        )
    catalog_changed()
    return product


@transaction.atomic
def product_publish(*, products: QuerySet[Product], published: bool = True, by=None) -> int:
    """Publish (or unpublish) many products at once; return how many changed.

    Raises NOT_YOUR_MERCHANT if `by` does not manage every product's merchant (then nothing
    changes).
    """
    rows = list(products.values_list("pk", "merchant_id", "is_published"))
    _check_merchant_access(merchant_ids={merchant_id for _, merchant_id, _ in rows}, by=by)
    changing = [pk for pk, _, is_published in rows if is_published != published]
    # The state is re-checked in the UPDATE, so a concurrent publish is not counted twice.
    count = (
        Product.objects.filter(pk__in=changing)
        .exclude(is_published=published)
        .update(is_published=published)
    )
    if published:
        for product_id in changing:
            transaction.on_commit(
                partial(events.product_published.send, sender=Product, product_id=product_id)
            )
    if count:
        catalog_changed()
    return count


@transaction.atomic
def product_delete(*, product: Product, by=None) -> None:
    """Delete a product with its variants and images. Raises NOT_YOUR_MERCHANT."""
    _check_merchant_access(merchant_ids=[product.merchant_id], by=by)
    product.delete()
    catalog_changed()


@transaction.atomic
def product_delete_many(*, products: QuerySet[Product], by=None) -> int:
    """Delete several products; return how many. Raises NOT_YOUR_MERCHANT (deleting none)."""
    rows = list(products.values_list("pk", "merchant_id"))
    _check_merchant_access(merchant_ids={merchant_id for _, merchant_id in rows}, by=by)
    deleted = Product.objects.filter(pk__in=[pk for pk, _ in rows]).delete()[1]
    catalog_changed()
    return deleted.get(Product._meta.label, 0)


# --- variants -------------------------------------------------------------------------------


@transaction.atomic
def variant_save(*, variant: Variant, by=None) -> Variant:
    """Create or update a variant (its stock is set to the value given, a full replace).

    Orders take stock with conditional UPDATEs, never through here. Once it commits, an
    existing variant whose price went down sends variant_price_dropped, one whose stock went
    from none to some variant_back_in_stock (the row is locked while it is compared, so an
    order taking stock at the same moment is counted before or after, not lost).
    Raises NOT_YOUR_MERCHANT.
    """
    if _restricted(by):
        merchant_ids = [variant.product.merchant_id]
        if variant.pk:  # and the product it belongs to now, should the form have moved it
            merchant_ids += Product.objects.filter(variants=variant.pk).values_list(
                "merchant_id", flat=True
            )
        _check_merchant_access(merchant_ids=merchant_ids, by=by)
    before = (
        Variant.objects.select_for_update().filter(pk=variant.pk).values("price", "stock").first()
        if variant.pk
        else None
    )
    variant.save()
    if before is not None:
        if variant.price < before["price"]:
            transaction.on_commit(
                partial(
                    events.variant_price_dropped.send_robust,
                    sender=Variant,
                    variant_id=variant.pk,
                    old_price=before["price"],
                    new_price=variant.price,
                )
            )
        if before["stock"] == 0 and variant.stock > 0:
            _back_in_stock_announce(variant_ids=[variant.pk])
    catalog_changed()
    return variant


def _back_in_stock_announce(*, variant_ids: Iterable[int]) -> None:
    """Send variant_back_in_stock for each of VARIANT_IDS once the transaction commits."""
    for variant_id in sorted(variant_ids):
        transaction.on_commit(
            partial(events.variant_back_in_stock.send_robust, sender=Variant, variant_id=variant_id)
        )


@transaction.atomic
def variant_delete(*, variant: Variant, by=None) -> None:
    """Delete a variant. Raises NOT_YOUR_MERCHANT."""
    if _restricted(by):
        _check_merchant_access(merchant_ids=[variant.product.merchant_id], by=by)
    variant.delete()
    catalog_changed()


# --- images ---------------------------------------------------------------------------------


@transaction.atomic
def product_image_add(
    *, product: Product, image: VerifiedImage, alt_text: str, position: int = 0, by=None
) -> ProductImage:
    """Store a verified image and its thumbnail for `product`. Raises NOT_YOUR_MERCHANT."""
    _check_merchant_access(merchant_ids=[product.merchant_id], by=by)
    product_image = ProductImage(product=product, alt_text=alt_text, position=position)
    _product_image_files_set(product_image=product_image, image=image)
    product_image.save()
    catalog_changed()
    return product_image


def _product_image_files_set(*, product_image: ProductImage, image: VerifiedImage) -> None:
    # The page's picture at 1x, and at 2x unless the image itself is no larger than the 1x.
    sizes = [THUMBNAIL_SIZE, DISPLAY_SIZE]
    if max(image.width, image.height) > DISPLAY_SIZE:
        sizes.append(2 * DISPLAY_SIZE)
    thumb, display, *display_2x = image_renditions(image.content, sizes=sizes)
    product_image.image.save(image.content.name, image.content, save=False)
    product_image.thumbnail.save(thumb.name, thumb, save=False)
    product_image.display.save(display.name, display, save=False)
    if display_2x:
        product_image.display_2x.save(display_2x[0].name, display_2x[0], save=False)
    else:
        product_image.display_2x = ""


@transaction.atomic
def product_image_save(
    *, product_image: ProductImage, image: VerifiedImage | None = None, by=None
) -> ProductImage:
    """Save an image row; with `image`, replace its picture and thumbnail.

    A new row needs `image`. Raises NOT_YOUR_MERCHANT.
    """
    if _restricted(by):
        _check_merchant_access(merchant_ids=[product_image.product.merchant_id], by=by)
    if image is not None:
        _product_image_files_set(product_image=product_image, image=image)
    product_image.save()
    catalog_changed()
    return product_image


@transaction.atomic
def product_image_delete(*, product_image: ProductImage, by=None) -> None:
    """Delete an image row. Raises NOT_YOUR_MERCHANT."""
    if _restricted(by):
        _check_merchant_access(merchant_ids=[product_image.product.merchant_id], by=by)
    product_image.delete()
    catalog_changed()


# --- categories -----------------------------------------------------------------------------


def _category_loop_check(category: Category) -> None:
    """Raise CATEGORY_LOOP if `category`'s parent is itself or one of its subcategories.

    Walks up from the new parent, one query per level (a shop's tree is a few levels deep);
    the parents are locked so that two moves at once cannot close a loop between them.
    """
    if category.parent_id is None:
        return
    seen: set[int] = set()
    parent_id = category.parent_id
    while parent_id is not None and parent_id not in seen:
        if category.pk is not None and parent_id == category.pk:
            raise DomainError(
                "A category cannot sit under itself or one of its own subcategories.",
                code=CatalogError.CATEGORY_LOOP,
                field="parent",
            )
        seen.add(parent_id)
        parent_id = (
            Category.objects.select_for_update()
            .filter(pk=parent_id)
            .values_list("parent_id", flat=True)
            .first()
        )


@transaction.atomic
def category_save(*, category: Category) -> Category:
    """Save a category. Raises CATEGORY_LOOP (field "parent") for a parent below itself."""
    _category_loop_check(category)
    category.save()
    catalog_changed()
    return category


@transaction.atomic
def category_delete(*, category: Category) -> None:
    """Delete a category; one that still has products or children is protected."""
    category.delete()
    catalog_changed()


def variant_stock_take(*, quantities: dict[int, int]) -> None:
    """Take `quantities` (variant id -> units) off the shelf, all or nothing.

    Must run inside the caller's transaction. Each variant is decremented by a conditional
    UPDATE (stock >= n), in primary-key order so concurrent buyers never deadlock; the first
    variant short of stock raises OUT_OF_STOCK (field "cart", naming the product), and the
    caller's rollback puts back what was already taken. Two buyers of the last unit: one
    UPDATE matches, the other matches no row.
    """
    for variant_id in sorted(quantities):
        quantity = quantities[variant_id]
        taken = Variant.objects.filter(pk=variant_id, stock__gte=quantity).update(
            stock=F("stock") - quantity
        )
        if not taken:
            variant = Variant.objects.select_related("product").filter(pk=variant_id).first()
            name = str(variant) if variant else "An item in your cart"
            left = variant.stock if variant else 0
            message = (
                f"Sorry, {name} is sold out."
                if left == 0
                else f"Sorry, only {left} of {name} left; please lower the quantity."
            )
            raise DomainError(message, code=CatalogError.OUT_OF_STOCK, field="cart")
    # A variant left with none was in stock before: its product may have sold out.
    _stock_changed(quantities=quantities, flipped=lambda stock, quantity: stock == 0)


def variant_stock_release(*, quantities: dict[int, int]) -> None:
    """Put `quantities` (variant id -> units) back on the shelf (cancelled/expired order).

    The caller guarantees it releases an order's stock once (Order.stock_released).
    """
    for variant_id in sorted(quantities):
        Variant.objects.filter(pk=variant_id).update(stock=F("stock") + quantities[variant_id])
    # A variant holding just what came back had none before: it is back in stock, and its
    # product may be too.
    back = _stock_changed(
        quantities=quantities, flipped=lambda stock, quantity: quantity > 0 and stock == quantity
    )
    _back_in_stock_announce(variant_ids=back)


def _stock_changed(*, quantities: dict[int, int], flipped: Callable[[int, int], bool]) -> set[int]:
    """Invalidate, on commit, what shows the stock of the variants in `quantities`, and
    return the ids of the variants that crossed zero.

    Only those products' cached pages and API representations are rebuilt (their stock
    version); cards and in-stock lists only when `flipped(stock now, quantity)` says a variant
    crossed zero. Must run in the transaction that changed the stock, after the change (the
    rows are still locked by its UPDATEs, so the stock read is the one committed).
    """
    slugs, flipped_ids, flipped_variant_ids = set(), set(), set()
    rows = Variant.objects.filter(pk__in=list(quantities)).values_list(
        "pk", "product_id", "product__slug", "stock"
    )
    for variant_id, product_id, slug, stock in rows:
        slugs.add(slug)
        if flipped(stock, quantities[variant_id]):
            flipped_ids.add(product_id)
            flipped_variant_ids.add(variant_id)
    transaction.on_commit(
        partial(
            cache_versions.product_stock_bump, slugs=sorted(slugs), flipped_ids=sorted(flipped_ids)
        )
    )
    return flipped_variant_ids


def product_units_sold_add(*, units: dict[int, int]) -> None:
    """Add sold units (product id -> units) to the products' counters, when an order is paid.

    F() updates in primary-key order: concurrent payments never read-modify-write the
    counter nor lock products out of order.
    """
    for product_id in sorted(units):
        Product.objects.filter(pk=product_id).update(units_sold=F("units_sold") + units[product_id])


# --- ratings --------------------------------------------------------------------------------

RATINGS = (1, 2, 3, 4, 5)


def _rating_check(rating: int | None) -> None:
    if rating is not None and rating not in RATINGS:
        raise ValueError(f"A rating is 1 to 5, not {rating!r}")


def product_rating_change(*, product_id: int, added: int | None, removed: int | None) -> bool:
    """Count rating ADDED (1–5) into a product's aggregates and take REMOVED out of them: a new
    review (added only), an edited rating (both), a hidden or deleted one (removed only).

    One conditional UPDATE with F() (the row's lock serialises concurrent reviews; never a
    read-modify-write in Python); a removal that finds nothing to take (a count at zero)
    changes nothing and returns False. Call inside the review's transaction. Once it commits,
    what shows the product's rating is rebuilt: its page (stock version) and its cards
    (in-stock version).
    """
    _rating_check(added)
    _rating_check(removed)
    if added == removed:
        return True
    changes: dict[str, object] = {}
    condition = Q(pk=product_id)
    count = 0
    total = 0
    if added is not None:
        count += 1
        total += added
        changes[f"rating_{added}"] = F(f"rating_{added}") + 1
    if removed is not None:
        count -= 1
        total -= removed
        changes[f"rating_{removed}"] = F(f"rating_{removed}") - 1
        condition &= Q(**{f"rating_{removed}__gte": 1}, rating_sum__gte=removed)
    if count:
        changes["rating_count"] = F("rating_count") + count
        condition &= Q(rating_count__gte=-count) if count < 0 else Q()
    changes["rating_sum"] = F("rating_sum") + total
    updated = Product.objects.filter(condition).update(**changes)
    if updated:
        transaction.on_commit(partial(_product_rating_changed, product_id=product_id))
    return bool(updated)


def _product_rating_changed(*, product_id: int) -> None:
    row = Product.objects.filter(pk=product_id).values("slug", "merchant_id").first()
    if row is not None:
        cache_versions.product_stock_bump(slugs=[row["slug"]], flipped_ids=[product_id])
        events.product_rating_changed.send_robust(
            sender=Product, product_id=product_id, merchant_id=row["merchant_id"]
        )
