"""Catalogue read API: categories, merchants and products, GET only, open to everyone.

Views are thin: they parse the query string, call one selector and serialise what it
returned. The selectors load every relation the serializers touch, so a page of 24 products
costs the same number of queries as a page of 2 (tests/shop/catalog/test_api.py).

The product list and detail are served from the catalogue cache, invalidated exactly as the
pages are (shop.catalog.page_cache, cache_versions): a list page caches its count and product
ids, each product its list representation under its in-stock version; a detail is cached
whole under the product's stock version. Representations hold absolute URLs, so they are
cached per origin (scheme and host, which ALLOWED_HOSTS bounds).
"""

import hashlib
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from shop.catalog import cache_versions, category_selectors, page_cache, product_filters, selectors
from shop.catalog.product_filters import ProductFilters
from shop.core.api import (
    ErrorResponseSerializer,
    StandardPagination,
    json_bytes_response,
    json_render,
)

# Slugs are SlugField(allow_unicode=False): anything else cannot name a row, so it is a 404
# before the database is asked (PostgreSQL refuses NUL characters in text with an error).
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
_SLUG_RE = re.compile(SLUG_PATTERN)

PRICE_PATTERN = r"^[0-9]+([.,][0-9]{1,2})?$"


def _slug_check(slug: str) -> str:
    if not _SLUG_RE.fullmatch(slug):
        raise Http404("No such object.")
    return slug


def _slug_parameter(description: str) -> OpenApiParameter:
    return OpenApiParameter(
        "slug",
        OpenApiTypes.STR,
        OpenApiParameter.PATH,
        description=description,
        pattern=SLUG_PATTERN,
    )


# --- shared pieces of output ------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The absolute address of the object's HTML page (its get_absolute_url())."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return self.context["request"].build_absolute_uri(value.get_absolute_url())


NOT_FOUND = OpenApiResponse(ErrorResponseSerializer, description="No such object.")
BAD_QUERY = OpenApiResponse(
    ErrorResponseSerializer,
    description="A query parameter is invalid; the error is keyed by its name.",
)
PAGE_NOT_FOUND = OpenApiResponse(
    ErrorResponseSerializer, description="The page is past the last page."
)


# --- categories -------------------------------------------------------------------------------


class CategoryListOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.SlugField()
    parent = serializers.SerializerMethodField()
    url = PageUrlField()

    @extend_schema_field(serializers.SlugField(allow_null=True))
    def get_parent(self, category) -> str | None:
        parent = self.context["tree"].by_id.get(category.parent_id)
        return parent.slug if parent is not None else None


class CategoryDetailChildSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()
    url = PageUrlField()


class CategoryDetailOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.SlugField()
    description = serializers.CharField()
    parent = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField()
    url = PageUrlField()

    @extend_schema_field(serializers.SlugField(allow_null=True))
    def get_parent(self, category) -> str | None:
        parent = self.context["tree"].by_id.get(category.parent_id)
        return parent.slug if parent is not None else None

    @extend_schema_field(CategoryDetailChildSerializer(many=True))
    def get_children(self, category) -> list[dict]:
        children = self.context["tree"].children.get(category.pk, [])
        return CategoryDetailChildSerializer(children, many=True, context=self.context).data


@extend_schema(tags=["catalog"])
class CategoryApi(viewsets.ViewSet):
    """The category tree, read whole from the cached tree (one query at most)."""

    permission_classes = [permissions.AllowAny]
    lookup_field = "slug"

    @extend_schema(
        operation_id="categories_list",
        summary="List all categories",
        description="Every category, roots first by position; `parent` is the parent's slug.",
        responses={200: CategoryListOutputSerializer(many=True)},
    )
    def list(self, request):
        tree = category_selectors.category_tree()
        serializer = CategoryListOutputSerializer(
            tree.categories, many=True, context={"request": request, "tree": tree}
        )
        return Response(serializer.data)

    @extend_schema(
        operation_id="categories_retrieve",
        summary="Get one category",
        description="A category with its parent's slug and its children.",
        parameters=[_slug_parameter("The category's slug.")],
        responses={200: CategoryDetailOutputSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request, slug: str):
        category = category_selectors.category_get(slug=_slug_check(slug))
        tree = category_selectors.category_tree()
        serializer = CategoryDetailOutputSerializer(
            category, context={"request": request, "tree": tree}
        )
        return Response(serializer.data)


# --- merchants --------------------------------------------------------------------------------


class MerchantListOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()
    description = serializers.CharField()
    logo = serializers.ImageField(allow_null=True, use_url=True)
    url = PageUrlField()


class MerchantDetailOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()
    description = serializers.CharField()
    logo = serializers.ImageField(allow_null=True, use_url=True)
    url = PageUrlField()


@extend_schema(tags=["catalog"])
class MerchantApi(viewsets.ViewSet):
    """Merchants of the marketplace."""

    permission_classes = [permissions.AllowAny]
    pagination_class = StandardPagination
    lookup_field = "slug"

    @extend_schema(
        operation_id="merchants_list",
        summary="List merchants",
        description="Merchants by name, 24 per page.",
        responses={
            200: MerchantListOutputSerializer(many=True),
            400: BAD_QUERY,
            404: PAGE_NOT_FOUND,
        },
    )
    def list(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.merchant_list(), request, view=self)
        serializer = MerchantListOutputSerializer(page, many=True, context={"request": request})
        return paginator.get_paginated_response(serializer.data)

    @extend_schema(
        operation_id="merchants_retrieve",
        summary="Get one merchant",
        description="A merchant; `logo` is null when it has none.",
        parameters=[_slug_parameter("The merchant's slug.")],
        responses={200: MerchantDetailOutputSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request, slug: str):
        merchant = selectors.merchant_get(slug=_slug_check(slug))
        return Response(MerchantDetailOutputSerializer(merchant, context={"request": request}).data)


# --- products ---------------------------------------------------------------------------------


class ProductListMerchantSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()


class ProductListCategorySerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()


class ProductListImageSerializer(serializers.Serializer):
    url = serializers.ImageField(source="image", use_url=True)
    thumbnail_url = serializers.ImageField(source="thumbnail", allow_null=True, use_url=True)
    alt = serializers.CharField(source="alt_text")


class ProductRatingDistributionSerializer(serializers.Serializer):
    one = serializers.IntegerField(source="rating_1")
    two = serializers.IntegerField(source="rating_2")
    three = serializers.IntegerField(source="rating_3")
    four = serializers.IntegerField(source="rating_4")
    five = serializers.IntegerField(source="rating_5")


class ProductRatingSerializer(serializers.Serializer):
    """The product's rating from its visible reviews (kept on the product, never recounted)."""

    count = serializers.IntegerField(source="rating_count")
    average = serializers.SerializerMethodField(
        help_text="The plain average to one decimal; null without reviews."
    )
    distribution = ProductRatingDistributionSerializer(
        source="*", help_text="How many reviews gave each number of stars."
    )

    def get_average(self, product) -> float | None:
        count = product.rating_count
        return round(product.rating_sum / count, 1) if count else None


class ProductListOutputSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    brand = serializers.CharField()
    merchant = ProductListMerchantSerializer()
    category = ProductListCategorySerializer()
    price_min = serializers.IntegerField(
        allow_null=True,
        help_text="Lowest variant price in cents (of the variants in the price filter, if "
        "any); null without variants.",
    )
    price_max = serializers.IntegerField(
        allow_null=True,
        help_text="Highest variant price in cents (of the variants in the price filter, if "
        "any); null without variants.",
    )
    currency = serializers.SerializerMethodField()
    in_stock = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()
    rating = ProductRatingSerializer(source="*")
    url = PageUrlField()

    def get_currency(self, product) -> str:
        return settings.STORE_CURRENCY

    def get_in_stock(self, product) -> bool:
        return bool(product.stock_total)

    @extend_schema_field(ProductListImageSerializer(allow_null=True))
    def get_image(self, product) -> dict | None:
        images = product.images.all()  # prefetched by the selector, in position order
        if not images:
            return None
        return ProductListImageSerializer(images[0], context=self.context).data


class ProductDetailMerchantSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()
    url = PageUrlField()


class ProductDetailCategorySerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()
    url = PageUrlField()


class ProductDetailVariantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    options = serializers.DictField()
    price = serializers.IntegerField(help_text="In cents.")
    compare_at_price = serializers.IntegerField(
        allow_null=True, help_text="Former price in cents, or null."
    )
    stock = serializers.IntegerField()
    in_stock = serializers.BooleanField()


class ProductDetailImageSerializer(serializers.Serializer):
    url = serializers.ImageField(source="image", use_url=True)
    thumbnail_url = serializers.ImageField(source="thumbnail", allow_null=True, use_url=True)
    alt = serializers.CharField(source="alt_text")
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class ProductDetailOutputSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    brand = serializers.CharField()
    description = serializers.CharField()
    attributes = serializers.DictField()
    merchant = ProductDetailMerchantSerializer()
    category = ProductDetailCategorySerializer()
    price_min = serializers.IntegerField(allow_null=True, help_text="In cents.")
    price_max = serializers.IntegerField(allow_null=True, help_text="In cents.")
    currency = serializers.SerializerMethodField()
    in_stock = serializers.SerializerMethodField()
    variants = ProductDetailVariantSerializer(many=True)
    images = ProductDetailImageSerializer(many=True)
    rating = ProductRatingSerializer(source="*")
    url = PageUrlField()

    def get_currency(self, product) -> str:
        return settings.STORE_CURRENCY

    def get_in_stock(self, product) -> bool:
        return bool(product.stock_total)


PRODUCT_FILTER_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Search text (at most 200 characters)."),
    OpenApiParameter(
        "category",
        OpenApiTypes.STR,
        pattern=SLUG_PATTERN,
        description="A category's slug; products of its subcategories are included.",
    ),
    OpenApiParameter(
        "merchant", OpenApiTypes.STR, pattern=SLUG_PATTERN, description="A merchant's slug."
    ),
    OpenApiParameter(
        "brand", OpenApiTypes.STR, description="A brand, matched exactly (ignoring case)."
    ),
    OpenApiParameter(
        "min_price",
        OpenApiTypes.STR,
        pattern=PRICE_PATTERN,
        description="Lowest price in major units, e.g. 25 or 19.99: products with a variant "
        "at or above it.",
    ),
    OpenApiParameter(
        "max_price",
        OpenApiTypes.STR,
        pattern=PRICE_PATTERN,
        description="Highest price in major units: products with a variant at or below it. "
        "Must not be below min_price.",
    ),
    OpenApiParameter(
        "in_stock", OpenApiTypes.BOOL, description="true: only products with a variant in stock."
    ),
    OpenApiParameter(
        "sort",
        OpenApiTypes.STR,
        enum=list(product_filters.SORTS),
        description=(
            "Order of the list; default `relevance` with `q`, else `newest`. Both put the "
            "products in stock first."
        ),
    ),
]


API_LIST_PARAMS = (*product_filters.PRODUCT_LIST_PARAMS, "page_size")


@dataclass(frozen=True)
class ProductListing:
    """One page of the product list as cached: how many products match, which are shown."""

    count: int
    number: int
    num_pages: int
    ids: tuple[int, ...]

    # As DRF's PageNumberPagination links pages: the request's own URL, page replaced.
    def next_link(self, request) -> str | None:
        if self.number >= self.num_pages:
            return None
        return replace_query_param(request.build_absolute_uri(), "page", self.number + 1)

    def previous_link(self, request) -> str | None:
        if self.number <= 1:
            return None
        url = request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, "page")
        return replace_query_param(url, "page", self.number - 1)


def _origin(request) -> str:
    """Name the scheme and host the representations' absolute URLs are built with."""
    origin = f"{request.scheme}://{request.get_host()}"
    return hashlib.sha256(origin.encode()).hexdigest()[:12]


def _json_response(request, envelope: dict | None = None, *, results=None, body=None):
    """Answer with cached JSON: `body` whole, or `envelope` with the `results` array added.

    Rendering a page of products to JSON on every request costs more than the rest of the
    request; the cached bytes are what JSONRenderer made of them. A client that negotiated
    another renderer (the browsable API, with DEBUG on) gets the data rendered as usual.
    """
    if body is None:
        if not isinstance(request.accepted_renderer, JSONRenderer):
            return Response({**envelope, "results": json.loads(results)})
        # The envelope's keys, then "results", in the order DRF's pagination writes them.
        body = json_render(envelope)[:-1] + b',"results":' + results + b"}"
    return json_bytes_response(request, body)


def _list_items(products, *, request) -> dict[int, dict]:
    context = {"request": request}
    return {
        product.pk: dict(ProductListOutputSerializer(product, context=context).data)
        for product in products
    }


def _product_filters(request) -> ProductFilters:
    """Parse the product-list filters, or raise 400 naming every bad parameter."""
    filters, errors = product_filters.product_filters_parse(request.query_params)
    if errors:
        raise exceptions.ValidationError(
            {name: [message] for name, message in errors.items()}, code="invalid_filter"
        )
    return filters


@extend_schema(tags=["catalog"])
class ProductApi(viewsets.ViewSet):
    """Published products: the same list and filters as /products/, and one product."""

    permission_classes = [permissions.AllowAny]
    pagination_class = StandardPagination
    lookup_field = "slug"

    @extend_schema(
        operation_id="products_list",
        summary="List published products",
        description=(
            "The product list page as data, 24 per page. Prices are integer cents of "
            "`currency`. A bad filter answers 400 with the error keyed by the parameter's "
            "name and code `invalid_filter`."
        ),
        parameters=PRODUCT_FILTER_PARAMETERS,
        responses={
            200: ProductListOutputSerializer(many=True),
            400: BAD_QUERY,
            404: PAGE_NOT_FOUND,
        },
    )
    def list(self, request):
        params = request.query_params
        origin = _origin(request)
        # Items under a price filter show the prices of the variants in the range.
        prices, _ = product_filters.product_price_range_parse(params)
        key = page_cache.page_key(
            "api-products",
            page_cache.params_digest(params, API_LIST_PARAMS),
            # Which products an in_stock list holds, and the order of a list that puts those
            # in stock first, change when one sells out.
            in_stock=bool((params.get("in_stock") or "").strip())
            or product_filters.product_list_orders_by_stock(params),
        )

        def build() -> tuple[ProductListing, dict[int, dict]]:
            filters = _product_filters(request)
            paginator = self.pagination_class()
            products = paginator.paginate_queryset(
                selectors.product_list(filters=filters), request, view=self
            )
            listing = ProductListing(
                count=paginator.page.paginator.count,
                number=paginator.page.number,
                num_pages=paginator.page.paginator.num_pages,
                ids=tuple(product.pk for product in products),
            )
            return listing, _list_items(products, request=request)

        def render_missing(product_ids: list[int]) -> dict[int, dict]:
            products = selectors.product_list_by_ids(product_ids=product_ids, prices=prices)
            products = products.values()
            return _list_items(products, request=request)

        # The page with its items filled in is cached under the in-stock version too: while
        # no product sells out, the list costs one read.
        filled_key = f"{key}:s{cache_versions.in_stock_version()}:{origin}"
        filled = cache.get(filled_key)
        if filled is None:
            listing, items, versions = page_cache.listing_get(
                key=key,
                build=build,
                product_ids=lambda listing: listing.ids,
                kind=f"api-item:{origin}:{prices.key}",
                render_missing=render_missing,
            )
            # A product gone since the listing was cached is left out; the catalogue version
            # that moved with it rebuilds the listing on the next request.
            results = [items[pid] for pid in listing.ids if pid in items]
            filled = (listing, json_render(results))
            if versions is not None:  # else an item may be newer than the versions read
                cache.set(filled_key, filled, settings.CATALOG_CACHE_SECONDS)
        listing, results = filled
        envelope = {
            "count": listing.count,
            "next": listing.next_link(request),
            "previous": listing.previous_link(request),
        }
        return _json_response(request, envelope, results=results)

    @extend_schema(
        operation_id="products_retrieve",
        summary="Get one published product",
        description=(
            "A published product with its variants (prices in cents) and images; an unknown "
            "or unpublished product is a 404."
        ),
        parameters=[_slug_parameter("The product's slug.")],
        responses={200: ProductDetailOutputSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request, slug: str):
        # The detail shows the product's stock: an order that takes some rebuilds it.
        slug = _slug_check(slug)
        key = page_cache.page_key("api-product", _origin(request), slug, stock_slug=slug)
        body = cache.get(key)
        if body is None:
            product = selectors.product_get(slug=slug)  # a 404 is never cached
            body = json_render(
                ProductDetailOutputSerializer(product, context={"request": request}).data
            )
            cache.set(key, body, settings.CATALOG_CACHE_SECONDS)
        return _json_response(request, body=body)
