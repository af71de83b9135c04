"""Every write to the catalogue. Each one bumps the catalogue version on commit, which
invalidates every cached catalogue fragment (see selectors.catalog_cache_key)."""

from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet

from shop.catalog import events
from shop.catalog.errors import CatalogError
from shop.catalog.models import Category, Merchant, Product, ProductImage, Variant
from shop.catalog.selectors import CATALOG_VERSION_KEY
from shop.core.errors import DomainError
from shop.core.images import VerifiedImage, image_thumbnail

THUMBNAIL_SIZE = 480


def catalog_changed() -> None:
    """Invalidate cached catalogue reads once the current transaction commits."""
    transaction.on_commit(_catalog_version_bump)


def _catalog_version_bump() -> None:
    try:
        cache.incr(CATALOG_VERSION_KEY)
    except ValueError:  # Not set yet (or evicted): any fresh value invalidates old keys.
        cache.set(CATALOG_VERSION_KEY, 2, timeout=None)


def _check_merchant_access(*, merchant: Merchant, by) -> None:
    if by is None or by.is_superuser:
        return
    if not merchant.staff.filter(pk=by.pk).exists():
        raise DomainError(
            "You can only manage products of your own merchant.",
            code=CatalogError.NOT_YOUR_MERCHANT,
            field="merchant",
        )


@transaction.atomic
def product_save(*, product: Product, by=None) -> Product:
    """Create or update a product. `by` (a staff user) must belong to its merchant.

    Raises NOT_YOUR_MERCHANT.
    """
    _check_merchant_access(merchant=product.merchant, by=by)
    was_published = (
        Product.objects.filter(pk=product.pk, is_published=True).exists() if product.pk else False
    )
    product.save()
    if product.is_published and not was_published:
        transaction.on_commit(
            partial(events.product_published.send, sender=Product, product_id=product.pk)
        )
    catalog_changed()
    return product


@transaction.atomic
def product_publish(*, products: QuerySet[Product], published: bool = True) -> int:
    """Publish (or unpublish) many products at once; returns how many changed."""
    changing = list(products.exclude(is_published=published).values_list("pk", flat=True))
    count = Product.objects.filter(pk__in=changing).update(is_published=published)
    if published:
        for product_id in changing:
            transaction.on_commit(
                partial(events.product_published.send, sender=Product, product_id=product_id)
            )
    catalog_changed()
    return count


@transaction.atomic
def product_delete(*, product: Product) -> None:
    product.delete()
    catalog_changed()


@transaction.atomic
def variant_save(*, variant: Variant) -> Variant:
    variant.save()
    catalog_changed()
    return variant


@transaction.atomic
def variant_delete(*, variant: Variant) -> None:
    variant.delete()
    catalog_changed()


@transaction.atomic
def product_image_add(
    *, product: Product, image: VerifiedImage, alt_text: str, position: int = 0
) -> ProductImage:
    """Store a verified image and its thumbnail for `product`."""
    product_image = ProductImage(product=product, alt_text=alt_text, position=position)
    _product_image_files_set(product_image=product_image, image=image)
    product_image.save()
    catalog_changed()
    return product_image


def _product_image_files_set(*, product_image: ProductImage, image: VerifiedImage) -> None:
    thumb = image_thumbnail(image.content, size=THUMBNAIL_SIZE)
    product_image.image.save(image.content.name, image.content, save=False)
    product_image.thumbnail.save(thumb.name, thumb, save=False)


@transaction.atomic
def product_image_save(
    *, product_image: ProductImage, image: VerifiedImage | None = None
) -> ProductImage:
    """Save an image row; with `image`, replace its picture and thumbnail."""
    if image is not None:
        _product_image_files_set(product_image=product_image, image=image)
    product_image.save()
    catalog_changed()
    return product_image


@transaction.atomic
def product_image_delete(*, product_image: ProductImage) -> None:
    product_image.delete()
    catalog_changed()


@transaction.atomic
def category_save(*, category: Category) -> Category:
    category.save()
    catalog_changed()
    return category


@transaction.atomic
def merchant_save(*, merchant: Merchant, logo: VerifiedImage | None = None) -> Merchant:
    if logo is not None:
        merchant.logo.save(logo.content.name, logo.content, save=False)
    merchant.save()
    catalog_changed()
    return merchant
