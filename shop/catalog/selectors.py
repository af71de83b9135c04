"""Reads of the catalogue used by pages, the API and other apps.

Every function returns rows with the relations its callers touch already loaded, so a page
runs the same number of queries for 10 products as for 100. The category tree is read in
category_selectors, a list's query parameters in product_filters.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import Http404

# The versions cached reads are keyed by live in cache_versions; other apps read them here.
from shop.catalog.cache_versions import catalog_cache_key, catalog_version  # noqa: F401
from shop.catalog.category_selectors import category_tree
from shop.catalog.models import Merchant, Product, ProductImage, Variant
from shop.catalog.product_filters import (
    STOCK_FIRST_SORTS,
    PriceRange,
    ProductFilters,
    product_filters_parse,  # noqa: F401  (gifting.pools reads it here, beside product_list)
)

# --- merchants --------------------------------------------------------------------------------


def merchant_list() -> QuerySet[Merchant]:
    return Merchant.objects.order_by("name")


def merchant_get(*, slug: str) -> Merchant:
    try:
        return Merchant.objects.get(slug=slug)
    except Merchant.DoesNotExist:
        raise Http404("No such merchant.") from None


@dataclass(frozen=True)
class MerchantRatingTotals:
    """What a merchant's reputation is read from: the sum and the count of its published
    products' ratings (kept on each product by the reviews), and its shipping promise."""

    rating_sum: int
    rating_count: int
    ships_within_days: int


def merchant_rating_totals(*, merchant_id: int) -> MerchantRatingTotals | None:
    """MERCHANT_ID's rating totals and shipping promise in one query; None for no merchant."""
    published = Product.objects.filter(merchant_id=OuterRef("pk"), is_published=True).order_by()

    def total(field: str) -> Subquery:
        return Subquery(
            published.values("merchant_id").annotate(total=Sum(field)).values("total"),
            output_field=IntegerField(),
        )

    row = (
        Merchant.objects.filter(pk=merchant_id)
        .annotate(rating_total=total("rating_sum"), rating_number=total("rating_count"))
        .values("rating_total", "rating_number", "ships_within_days")
        .first()
    )
    if row is None:
        return None
    return MerchantRatingTotals(
        rating_sum=row["rating_total"] or 0,
        rating_count=row["rating_number"] or 0,
        ships_within_days=row["ships_within_days"],
    )


def merchants_of_user(*, user) -> QuerySet[Merchant]:
    """Merchants whose catalogue `user` may manage: all for superusers, else their own."""
    if user.is_superuser:
        return Merchant.objects.all()
    return Merchant.objects.filter(staff=user)


# --- products ---------------------------------------------------------------------------------


_SLUG = re.compile(r"[-\w]{1,220}")


def _slug_is_valid(slug: object) -> bool:
    """Whether SLUG could be a product's: what cannot (a NUL, which PostgreSQL refuses with an
    error, a space, too long) is no product, without a query."""
    return isinstance(slug, str) and _SLUG.fullmatch(slug) is not None


def _product_base(*, prices: PriceRange | None = None) -> QuerySet[Product]:
    """Published products with their card's prices: those of the variants in `prices`."""
    prices = prices or PriceRange()
    # The compare-at price shown beside the "from" price is the cheapest variant's.
    cheapest_compare_at = Subquery(
        Variant.objects.filter(prices.variants_q(), product=OuterRef("pk"))
        .order_by("price", "position", "id")
        .values("compare_at_price")[:1]
    )
    in_range = prices.variants_q("variants__") if prices else None
    return (
        Product.objects.filter(is_published=True)
        .select_related("merchant", "category")
        .annotate(
            price_min=Min("variants__price", filter=in_range),
            price_max=Max("variants__price", filter=in_range),
            stock_total=Sum("variants__stock"),
            price_min_compare_at=cheapest_compare_at,
        )
        .prefetch_related(
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
        )
    )


# What the sort menu says of "Customer rating" (its tooltip).
RATING_SORT_HINT = (
    "Sorted by a damped average: a product with few reviews counts as closer to the store's "
    "average rating, so one 5-star review does not outrank a hundred 4.8s."
)


def _rating_damped():
    """The damped (Bayesian) average of a product's ratings, (n·avg + C·m) / (n + C): its
    RATING_SUM plus C reviews at the store's mean m, over its count plus C (C is
    settings.REVIEWS_RATING_DAMPING; m the mean of every published product's ratings, a scalar
    subquery of the same query, so the list's query count does not change). Null for a
    product without ratings (they come last)."""
    damping = float(settings.REVIEWS_RATING_DAMPING)
    store_mean = Subquery(
        Product.objects.filter(is_published=True)
        .order_by()
        .annotate(store=Value(1))
        .values("store")
        .annotate(mean=Cast(Sum("rating_sum"), FloatField()) / NullIf(Sum("rating_count"), 0))
        .values("mean")[:1],
        output_field=FloatField(),
    )
    damped = (Cast("rating_sum", FloatField()) + Value(damping) * Coalesce(store_mean, 0.0)) / (
        Cast("rating_count", FloatField()) + Value(damping)
    )
    return Case(
        When(rating_count__gt=0, then=damped), default=Value(None), output_field=FloatField()
    )


def _product_search(queryset: QuerySet[Product], q: str) -> QuerySet[Product]:
    if connection.vendor == "postgresql":
        vector = (
            SearchVector("title", weight="A")
            + SearchVector("brand", weight="A")
            + SearchVector("category__name", weight="B")
            + SearchVector("description", weight="C")
        )
        query = SearchQuery(q, search_type="websearch", config="english")
        ids = Product.objects.annotate(search=vector).filter(search=query).values("pk")
        return queryset.filter(pk__in=ids).annotate(relevance=SearchRank(vector, query))
    # SQLite fallback: every word must appear somewhere; a title match ranks first.
    for term in q.split()[:10]:
        queryset = queryset.filter(
            Q(title__icontains=term)
            | Q(brand__icontains=term)
            | Q(description__icontains=term)
            | Q(category__name__icontains=term)
        )
    return queryset.annotate(
        relevance=Case(
            When(title__icontains=q, then=Value(3)),
            When(brand__icontains=q, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )


def product_list(*, filters: ProductFilters) -> QuerySet[Product]:
    """Published products matching `filters`, sorted, with merchant, category and images.

    Under a price filter the prices annotated (price_min, price_max, price_min_compare_at)
    are those of the variants in the range. The default sorts put products in stock first.
    """
    queryset = _product_base(prices=filters.prices)
    if filters.category is not None:
        queryset = queryset.filter(category_id__in=category_tree().descendant_ids(filters.category))
    if filters.merchant is not None:
        queryset = queryset.filter(merchant=filters.merchant)
    if filters.brand:
        queryset = queryset.filter(brand__iexact=filters.brand)
    if filters.min_price is not None or filters.max_price is not None:
        variants = Variant.objects.filter(product=OuterRef("pk"))
        if filters.min_price is not None:
            variants = variants.filter(price__gte=filters.min_price)
        if filters.max_price is not None:
            variants = variants.filter(price__lte=filters.max_price)
        queryset = queryset.filter(Exists(variants))
    if filters.in_stock:
        queryset = queryset.filter(
            Exists(Variant.objects.filter(product=OuterRef("pk"), stock__gt=0))
        )
    if filters.q:
        queryset = _product_search(queryset, filters.q)

    sort = filters.effective_sort
    if sort == "relevance" and not filters.q:
        sort = "newest"
    ordering = {
        "relevance": ["-relevance", "-created_at", "-id"],
        "price_asc": ["price_min", "-id"],
        "price_desc": ["-price_max", "-id"],
        "newest": ["-created_at", "-id"],
        "best_selling": ["-units_sold", "-created_at", "-id"],
        "rating": [_rating_damped().desc(nulls_last=True), "-rating_count", "-units_sold", "-id"],
    }[sort]
    if sort in STOCK_FIRST_SORTS:
        # Out of stock (or without variants) last, each part in the sort's order.
        sold_out = Case(When(stock_total__gt=0, then=Value(0)), default=Value(1))
        ordering = [sold_out, *ordering]
    return queryset.order_by(*ordering)


def product_list_by_ids(
    *, product_ids: list[int], prices: PriceRange | None = None
) -> dict[int, Product]:
    """Published products by id, loaded as product_list loads them (for cached cards).

    `prices`: the list's price filter, whose variants' prices the cards show.
    """
    queryset = _product_base(prices=prices).filter(pk__in=product_ids)
    return {product.pk: product for product in queryset}


def product_titles(*, product_ids: list[int]) -> dict[int, str]:
    """Published products' titles by id, each cached per catalogue version (a title changes
    only with it): no query once read, one for all the missing ones. For other apps' per-card
    decorations, which know only the cards' ids (a button named after its product)."""
    version = catalog_cache_key("title")
    keys = {pid: f"{version}:{pid}" for pid in product_ids}
    found = cache.get_many(list(keys.values()))
    titles = {pid: found[key] for pid, key in keys.items() if key in found}
    missing = [pid for pid in keys if pid not in titles]
    if missing:
        read = dict(
            Product.objects.filter(pk__in=missing, is_published=True).values_list("pk", "title")
        )
        cache.set_many(
            {keys[pid]: title for pid, title in read.items()}, settings.CATALOG_CACHE_SECONDS
        )
        titles.update(read)
    return titles


def product_brands(*, filters: ProductFilters | None = None) -> list[str]:
    """Distinct brands of published products (for the brand filter)."""
    queryset = Product.objects.filter(is_published=True).exclude(brand="")
    if filters is not None and filters.category is not None:
        queryset = queryset.filter(category_id__in=category_tree().descendant_ids(filters.category))
    if filters is not None and filters.merchant is not None:
        queryset = queryset.filter(merchant=filters.merchant)
    return list(queryset.order_by("brand").values_list("brand", flat=True).distinct())


def product_brief_get(*, slug: str | None = None, product_id: int | None = None) -> Product:
    """A published product by SLUG or PRODUCT_ID, its own row only (title, address, merchant
    id, rating aggregates): for pages about a product that are not its page. One query;
    raises Http404."""
    if slug is not None and not _slug_is_valid(slug):
        raise Http404("No such product.")
    lookup = {"slug": slug} if slug is not None else {"pk": product_id}
    product = Product.objects.filter(is_published=True, **lookup).first()
    if product is None:
        raise Http404("No such product.")
    return product


def product_get(*, slug: str) -> Product:
    """A published product with merchant, category, variants and images loaded."""
    try:
        return (
            _product_base()
            .prefetch_related(
                Prefetch("variants", queryset=Variant.objects.order_by("position", "id"))
            )
            .get(slug=slug)
        )
    except Product.DoesNotExist:
        raise Http404("No such product.") from None


def product_with_merchant_get(*, slug: str) -> Product:
    """A published product with its merchant, in one query (no prices, variants or images):
    for pages of other apps about a product (its questions). Raises Http404 for none."""
    if not _slug_is_valid(slug):
        raise Http404("No such product.")
    product = (
        Product.objects.filter(slug=str(slug)[:220], is_published=True)
        .select_related("merchant")
        .first()
    )
    if product is None:
        raise Http404("No such product.")
    return product


@dataclass(frozen=True)
class HomeSections:
    featured: list[Product]
    newest: list[Product]
    best_selling: list[Product]


def product_home_sections(*, size: int = 8) -> HomeSections:
    """Featured, newest and best-selling products for the home page (constant queries)."""
    base = _product_base()
    return HomeSections(
        featured=list(base.filter(is_featured=True).order_by("-updated_at", "-id")[:size]),
        newest=list(base.order_by("-created_at", "-id")[:size]),
        best_selling=list(base.filter(units_sold__gt=0).order_by("-units_sold", "-id")[:size]),
    )


def variant_list_for_products(*, product_ids: list[int]) -> QuerySet[Variant]:
    return Variant.objects.filter(product_id__in=product_ids).select_related("product")


# --- for other apps (the cart) --------------------------------------------------------------


def variant_get_with_product(*, variant_id: int) -> Variant | None:
    """Return the variant `variant_id` with its product (published or not), or None."""
    return Variant.objects.select_related("product").filter(pk=variant_id).first()


def product_images_prefetch(lookup: str) -> Prefetch:
    """Prefetch the images of the products at `lookup` (e.g. "variant__product__images") in
    the order a product page shows them, the first being the product's picture."""
    return Prefetch(lookup, queryset=ProductImage.objects.order_by("position", "id"))
