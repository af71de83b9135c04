"""A product list's query parameters read into filters: the search text, category, merchant,
brand, price range, in-stock and sort a shopper asked for, with a message per bad parameter.

Pages and the API read them here before building the list (shop.catalog.selectors.product_list)
and before their caches, which are keyed by them.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q

from shop.catalog.category_selectors import category_tree
from shop.catalog.models import Category, Merchant
from shop.core.money import money_parse_major

SORTS: dict[str, str] = {
    "relevance": "Relevance",
    "price_asc": "Price: low to high",
    "price_desc": "Price: high to low",
    "newest": "Newest",
    "best_selling": "Best selling",
    "rating": "Customer rating",
}
MAX_QUERY_LENGTH = 200
# The query parameters of a product list (product_filters_parse, sort, page): the page and the
# API key their caches on them.
PRODUCT_LIST_PARAMS = (
    "q",
    "category",
    "merchant",
    "brand",
    "min_price",
    "max_price",
    "in_stock",
    "sort",
    "page",
)
# Above any real price and well inside every database's integer range ("99999999999999" as a
# price filter would otherwise overflow the query parameter and fail with a 500).
MAX_PRICE_FILTER = 100_000_000  # minor units: 1,000,000.00 in the store currency


@dataclass(frozen=True)
class PriceRange:
    """The prices a list is filtered to, in minor units; either end may be open.

    A product is listed when one of its variants is in the range, and its card shows the
    prices of those variants ("From €59.00" is the cheapest one in the range).
    """

    low: int | None = None
    high: int | None = None

    def __bool__(self) -> bool:
        return self.low is not None or self.high is not None

    @property
    def key(self) -> str:
        """A short text naming the range, for cache keys ("" when the range is open)."""
        if not self:
            return ""
        return f"{'' if self.low is None else self.low}-{'' if self.high is None else self.high}"

    def variants_q(self, prefix: str = "") -> Q:
        """Match the variants in the range (`prefix` "variants__" from a product)."""
        condition = Q()
        if self.low is not None:
            condition &= Q(**{f"{prefix}price__gte": self.low})
        if self.high is not None:
            condition &= Q(**{f"{prefix}price__lte": self.high})
        return condition


@dataclass(frozen=True)
class ProductFilters:
    q: str = ""
    category: Category | None = None
    merchant: Merchant | None = None
    min_price: int | None = None
    max_price: int | None = None
    brand: str = ""
    in_stock: bool = False
    sort: str = ""

    @property
    def effective_sort(self) -> str:
        return self.sort or ("relevance" if self.q else "newest")

    @property
    def prices(self) -> PriceRange:
        return PriceRange(low=self.min_price, high=self.max_price)


# The sorts a shopper gets without asking (and may pick by name): products in stock first, each
# part in the sort's own order. The other sorts are orders asked for, kept strictly.
STOCK_FIRST_SORTS = frozenset({"relevance", "newest"})


def product_list_orders_by_stock(params: Mapping[str, str]) -> bool:
    """Whether the list these parameters ask for puts products in stock first.

    Such a list's order changes when a product sells out: its cache is keyed by the in-stock
    version. Read from the parameters alone (no query), before the list is built.
    """
    sort = _param(params, "sort")
    return sort not in SORTS or sort in STOCK_FIRST_SORTS


def product_price_range_parse(params: Mapping[str, str]) -> tuple[PriceRange, dict[str, str]]:
    """Read min_price and max_price; return the valid range and a message per bad parameter.

    No query: pages read it before their cache (cards under a price filter are keyed by it).
    """
    errors: dict[str, str] = {}
    prices: dict[str, int | None] = {"min_price": None, "max_price": None}
    for name in prices:
        raw = _param(params, name)
        if not raw:
            continue
        try:
            prices[name] = money_parse_major(raw)
        except ValueError:
            errors[name] = "Enter a price such as 25 or 19.99."
            continue
        if prices[name] > MAX_PRICE_FILTER:
            errors[name] = f"Enter a price of at most {MAX_PRICE_FILTER // 100:,}."
            prices[name] = None
    if (
        prices["min_price"] is not None
        and prices["max_price"] is not None
        and prices["min_price"] > prices["max_price"]
    ):
        errors["max_price"] = "The maximum price must not be below the minimum price."
        prices["max_price"] = None
    return PriceRange(low=prices["min_price"], high=prices["max_price"]), errors


def product_filters_parse(
    params: Mapping[str, str],
    *,
    category: Category | None = None,
    merchant: Merchant | None = None,
) -> tuple[ProductFilters, dict[str, str]]:
    """Read product-list filters from query parameters.

    Returns the filters that are valid and a message per parameter that is not; a bad
    parameter is left out of the filters (pages show the message, the API answers 400).
    """
    errors: dict[str, str] = {}
    q = _param(params, "q")
    if len(q) > MAX_QUERY_LENGTH:
        errors["q"] = f"Search text can be at most {MAX_QUERY_LENGTH} characters."
        q = q[:MAX_QUERY_LENGTH]

    if category is None and (category_slug := _param(params, "category")):
        category = category_tree().by_slug.get(category_slug)
        if category is None:
            errors["category"] = "That category does not exist."
    if merchant is None and (merchant_slug := _param(params, "merchant")):
        merchant = Merchant.objects.filter(slug=merchant_slug[:140]).first()
        if merchant is None:
            errors["merchant"] = "That merchant does not exist."

    prices, price_errors = product_price_range_parse(params)
    errors.update(price_errors)

    in_stock_raw = _param(params, "in_stock").lower()
    if in_stock_raw not in ("", "0", "1", "true", "false", "on", "off", "yes", "no"):
        errors["in_stock"] = "Use in_stock=1 to show only products in stock."
    in_stock = in_stock_raw in ("1", "true", "on", "yes")

    sort = _param(params, "sort")
    if sort and sort not in SORTS:
        errors["sort"] = "Choose one of: " + ", ".join(SORTS) + "."
        sort = ""

    brand = _param(params, "brand")[:80]
    return (
        ProductFilters(
            q=q,
            category=category,
            merchant=merchant,
            min_price=prices.low,
            max_price=prices.high,
            brand=brand,
            in_stock=in_stock,
            sort=sort,
        ),
        errors,
    )


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _param(params: Mapping[str, str], name: str) -> str:
    """Return a query parameter stripped, without control characters.

    PostgreSQL refuses NUL in a text parameter (a 500, not a message), and no slug, brand or
    search word contains control characters.
    """
    return _CONTROL_CHARACTERS.sub("", params.get(name) or "").strip()
