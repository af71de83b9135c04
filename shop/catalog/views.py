"""The storefront a shopper browses: home, product list, category, merchant and product pages.

Views stay thin: read the query string, name the page's cache key, and hand page_cache a
builder of the page's parts (rendered without the request, through the selectors). The
caching, the product cards and the per-request personal layer are page_cache's: see its
docstring for what is cached under which version, and how signed-in visitors share it.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode, urljoin

from django.conf import settings
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.views.decorators.http import require_safe

from shop.catalog import (
    category_selectors,
    home_sections,
    product_filters,
    product_sections,
    selectors,
    suggestions,
)
from shop.catalog.forms import ProductFilterForm
from shop.catalog.models import Category, Merchant, Product, Variant
from shop.catalog.page_cache import PageParts, page_key, page_render, params_digest, part_render
from shop.core.money import money_format
from shop.core.pagination import page_number_parse, paginate

PAGE_SIZE = 24
HOME_SECTION_SIZE = 8
LOW_STOCK = 5


def _list_key(kind: str, params: Mapping[str, str], *extra: object) -> str:
    # Which products an in_stock list holds, and the order of a list that shows products in
    # stock first, change when one sells out: key those by stock too.
    in_stock = bool((params.get("in_stock") or "").strip())
    return page_key(
        kind,
        params_digest(params, product_filters.PRODUCT_LIST_PARAMS, *extra),
        in_stock=in_stock or product_filters.product_list_orders_by_stock(params),
    )


def _list_render(request: HttpRequest, *, key: str, build: Callable[[], PageParts]) -> HttpResponse:
    """Render a product list page; an htmx request (a filter changed) gets the same page.

    The filters apply on change with htmx (catalog/product_list.html): it asks for the whole
    page, the one cached for everyone, and swaps in the parts that change, so a full page and
    a fragment can never be mixed up in a cache. The address it pushes leaves out the empty
    parameters a form sends.
    """
    # Cards under a price filter show the prices in the range: a card of their own.
    prices, _ = product_filters.product_price_range_parse(request.GET)
    response = page_render(request, key=key, build=build, card_prices=prices)
    if request.htmx:
        kept = [
            (name, value)
            for name in product_filters.PRODUCT_LIST_PARAMS
            if (value := (request.GET.get(name) or "").strip())
        ]
        response["HX-Push-Url"] = f"{request.path}?{urlencode(kept)}" if kept else request.path
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- pages ------------------------------------------------------------------------------------


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        personal = home_sections.home_personal(viewer=request.user)
        if personal is not None:
            # Cached per person and version, and by stock (a pick that sells out goes).
            key = page_key("home", "for", request.user.pk, personal.version, in_stock=True)
            return page_render(request, key=key, build=partial(_home_personal_parts, personal))
    return page_render(request, key=page_key("home"), build=_home_parts)


@require_safe
def product_list(request: HttpRequest) -> HttpResponse:
    params = request.GET
    return _list_render(
        request,
        key=_list_key("products", params),
        build=partial(_product_list_parts, params=params, action="/products/"),
    )


@require_safe
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # The category tree is cached, so a missing category is a 404 without a query.
    category = category_selectors.category_get(slug=slug)
    params = request.GET
    return _list_render(
        request,
        key=_list_key("category", params, category.pk),
        build=partial(
            _product_list_parts,
            params=params,
            category=category,
            action=category.get_absolute_url(),
        ),
    )


@require_safe
def merchant_detail(request: HttpRequest, slug: str) -> HttpResponse:
    params = request.GET
    return _list_render(
        request,
        key=_list_key("merchant", params, slug),
        build=partial(_merchant_parts, params=params, slug=slug),
    )


@require_safe
def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    variant_raw = (request.GET.get("variant") or "").strip()
    return page_render(
        request,
        # The page shows the product's stock: an order that takes some rebuilds it.
        key=page_key("product", params_digest({}, (), slug, variant_raw), stock_slug=slug),
        build=partial(_product_detail_parts, slug=slug, variant_raw=variant_raw),
    )


# --- home ---------------------------------------------------------------------------------


def _home_parts() -> PageParts:
    sections = selectors.product_home_sections(size=HOME_SECTION_SIZE)
    body = part_render(
        "catalog/home.html",
        {
            "store_name": settings.STORE_NAME,
            "sections": sections,
            "categories": category_selectors.category_tree().roots,
        },
    )
    return PageParts(
        title="Shop with your friends",
        description=f"{settings.STORE_NAME}: shop with your friends.",
        head=_canonical("/"),
        body=body,
        products=(*sections.featured, *sections.newest, *sections.best_selling),
    )


def _home_personal_parts(personal: home_sections.PersonalHome) -> PageParts:
    sections = [section for section in personal.sections() if section.products]
    body = part_render(
        "catalog/home_personal.html",
        {"store_name": settings.STORE_NAME, "sections": sections, "personal": personal},
    )
    return PageParts(
        title="Your home",
        description=f"{settings.STORE_NAME}: picked for you.",
        head=_canonical("/"),
        body=body,
        products=tuple({p.pk: p for s in sections for p in s.products}.values()),
    )


# --- product lists ----------------------------------------------------------------------------


def _merchant_parts(*, params: Mapping[str, str], slug: str) -> PageParts:
    merchant = selectors.merchant_get(slug=slug)
    return _product_list_parts(params=params, merchant=merchant, action=merchant.get_absolute_url())


def _product_list_parts(
    *,
    params: Mapping[str, str],
    action: str,
    category: Category | None = None,
    merchant: Merchant | None = None,
) -> PageParts:
    filters, messages = product_filters.product_filters_parse(
        params, category=category, merchant=merchant
    )
    tree = category_selectors.category_tree()
    page, page_message = _page_get(
        selectors.product_list(filters=filters), raw=(params.get("page") or "").strip()
    )
    form = ProductFilterForm(
        params,
        tree=tree,
        brands=selectors.product_brands(filters=filters),
        merchants=None if merchant is not None else selectors.merchant_list(),
        currency=_currency_symbol(),
        sort=filters.effective_sort,
        scoped_to_category=category is not None,
    )
    form.add_messages(messages)

    query = _filters_query(filters, category=category, merchant=merchant)
    problems = [
        (f"id_{name}" if name in form.fields else "", message) for name, message in messages.items()
    ]
    if page_message:
        problems.append(("results", page_message))

    heading = _list_heading(filters)
    if category is not None:
        description = category.description or f"{category.name} at {settings.STORE_NAME}."
    elif merchant is not None:
        description = merchant.description or f"Products from {merchant.name}."
    elif filters.q:
        description = f"Products matching “{filters.q}”."
    else:
        description = f"Every product at {settings.STORE_NAME}."
    title = heading if page.number == 1 else f"{heading} (page {page.number})"

    # A search that found nothing: offer the spelling that finds something ("tnet" -> "tent").
    suggestion = ""
    if filters.q and not page.paginator.count:
        suggestion = suggestions.product_search_suggestion(filters=filters)

    context = {
        "heading": heading,
        "action": action,
        "category": category,
        "merchant": merchant,
        "breadcrumbs": _category_crumbs(tree, category) if category is not None else [],
        "subcategories": tree.children.get(category.pk, []) if category is not None else [],
        "form": form,
        "problems": problems,
        "filters": filters,
        "active_filters": _active_filters(filters, query=query, action=action),
        "page": page,
        "page_range": _page_range(page),
        "page_query": urlencode(query),
        "suggestion": suggestion,
        "suggestion_url": f"{action}?{urlencode({**query, 'q': suggestion})}" if suggestion else "",
        "clear_url": action,
        "is_filtered": bool(
            filters.q
            or filters.brand
            or filters.in_stock
            or filters.min_price is not None
            or filters.max_price is not None
            or (filters.category is not None and category is None)
            or (filters.merchant is not None and merchant is None)
        ),
        "top_categories": tree.roots,
        "rating_sort_hint": selectors.RATING_SORT_HINT,
    }
    head = part_render(
        "catalog/page_head.html",
        {
            "canonical": _absolute(action),
            # Searches and filter combinations are not pages a search engine should keep.
            "noindex": bool(context["is_filtered"] or query.get("sort") or page.number > 1),
        },
    )
    return PageParts(
        title=title,
        description=Truncator(description).chars(160),
        head=head,
        body=part_render("catalog/product_list.html", context),
        products=tuple(page.object_list),
    )


def _list_heading(filters: product_filters.ProductFilters) -> str:
    """Name what a list shows: "Clothing", "Results for “tent” in Tents", "All products".

    The category (the page's or a filter's) and the shop (the page's or a filter's) are named;
    brand, price and stock are in the active-filter chips below it.
    """
    category = filters.category.name if filters.category is not None else ""
    merchant = filters.merchant.name if filters.merchant is not None else ""
    if filters.q:
        heading = f"Results for “{filters.q}”"
        heading += f" in {category}" if category else ""
        return heading + (f" from {merchant}" if merchant else "")
    if category and merchant:
        return f"{category} from {merchant}"
    return category or merchant or "All products"


def _page_get(queryset, *, raw: str) -> tuple[Page, str]:
    """Return the asked page (the last one past the end) and a message about a bad number."""
    page = paginate(queryset, number=page_number_parse(raw), size=PAGE_SIZE)
    if not raw:
        return page, ""
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        return page, f"“{Truncator(raw).chars(20)}” is not a page number; showing page 1."
    if int(raw) > page.number:
        last = page.paginator.num_pages
        return page, f"There is no page {Truncator(raw).chars(20)}; showing the last page ({last})."
    return page, ""


def _page_range(page: Page) -> list[int | str]:
    if page.paginator.num_pages <= 1:
        return []
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


def _filters_query(
    filters: product_filters.ProductFilters, *, category: Category | None, merchant: Merchant | None
) -> dict[str, str]:
    """The valid filters as clean query parameters (what pagination and links keep)."""
    query: dict[str, str] = {}
    if filters.q:
        query["q"] = filters.q
    if filters.category is not None and category is None:
        query["category"] = filters.category.slug
    if filters.merchant is not None and merchant is None:
        query["merchant"] = filters.merchant.slug
    if filters.brand:
        query["brand"] = filters.brand
    if filters.min_price is not None:
        query["min_price"] = _major(filters.min_price)
    if filters.max_price is not None:
        query["max_price"] = _major(filters.max_price)
    if filters.in_stock:
        query["in_stock"] = "1"
    if filters.sort:
        query["sort"] = filters.sort
    return query


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    value: str
    remove_url: str


def _active_filters(
    filters: product_filters.ProductFilters, *, query: dict[str, str], action: str
) -> list[ActiveFilter]:
    def without(name: str) -> str:
        rest = {key: value for key, value in query.items() if key != name}
        return f"{action}?{urlencode(rest)}" if rest else action

    shown = {
        "q": ("Search", f"“{filters.q}”"),
        "category": ("Category", filters.category.name if filters.category else ""),
        "merchant": ("Shop", filters.merchant.name if filters.merchant else ""),
        "brand": ("Brand", filters.brand),
        "min_price": ("From", money_format(filters.min_price)),
        "max_price": ("Up to", money_format(filters.max_price)),
        "in_stock": ("In stock only", ""),
    }
    return [
        ActiveFilter(label=label, value=value, remove_url=without(name))
        for name, (label, value) in shown.items()
        if name in query
    ]


def _category_crumbs(tree: category_selectors.CategoryTree, category: Category) -> list[Category]:
    return [*tree.ancestors(category), tree.by_id.get(category.pk, category)]


# --- product page -----------------------------------------------------------------------------


def _product_detail_parts(*, slug: str, variant_raw: str) -> PageParts:
    product = selectors.product_get(slug=slug)
    variants = list(product.variants.all())
    images = list(product.images.all())
    selected, variant_message = _variant_pick(variants, raw=variant_raw)
    tree = category_selectors.category_tree()
    description = _plain(product.description) or f"{product.title} from {product.merchant.name}."

    context = {
        "product": product,
        "variants": variants,
        "selected": selected,
        "variant_message": variant_message,
        "stock_message": _stock_message(selected.stock) if selected else "",
        "stock_level": _stock_level(selected.stock) if selected else "",
        "images": images,
        "main_image": images[0] if images else None,
        "breadcrumbs": _category_crumbs(tree, product.category),
        "attributes": _attributes(product.attributes),
        "variant_data": [_variant_data(variant) for variant in variants],
        # Other apps' sections (questions and answers): the same for everyone, no query.
        "sections": product_sections.product_sections(product=product),
    }
    head = part_render(
        "catalog/product_detail_head.html",
        {
            "product": product,
            "store_name": settings.STORE_NAME,
            "description": Truncator(description).chars(200),
            "url": _absolute(product.get_absolute_url()),
            "image_url": _absolute(images[0].image.url) if images else "",
            "image_alt": images[0].alt_text if images else "",
            "price": _decimal(selected.price) if selected else "",
            "currency": settings.STORE_CURRENCY,
            "json_ld": _product_json_ld(
                product, selected=selected, images=images, description=description
            ),
        },
    )
    return PageParts(
        title=product.title,
        description=Truncator(description).chars(160),
        head=head,
        body=part_render("catalog/product_detail.html", context),
    )


def _variant_pick(variants: list[Variant], *, raw: str) -> tuple[Variant | None, str]:
    """The variant asked for by ?variant=<id>, else the first in stock, else the first."""
    default = next((variant for variant in variants if variant.in_stock), None)
    default = default or (variants[0] if variants else None)
    if not raw:
        return default, ""
    chosen = next((variant for variant in variants if str(variant.pk) == raw), None)
    if chosen is None:
        return default, "That option is not available; showing another one."
    return chosen, ""


def _variant_data(variant: Variant) -> dict[str, object]:
    """What static/js/agora.js shows when a shopper picks this variant (money pre-formatted)."""
    return {
        "id": variant.pk,
        "name": variant.name,
        "sku": variant.sku,
        "price": money_format(variant.price),
        "compare_at": money_format(variant.compare_at_price),
        "stock": _stock_message(variant.stock),
        "stock_level": _stock_level(variant.stock),
        "in_stock": variant.in_stock,
    }


def _stock_message(stock: int) -> str:
    if stock <= 0:
        return "Out of stock"
    if stock <= LOW_STOCK:
        return f"Only {stock} left"
    return "In stock"


def _stock_level(stock: int) -> str:
    """Return "in", "low" or "out": the stock message's colour (its words say it too)."""
    if stock <= 0:
        return "out"
    return "low" if stock <= LOW_STOCK else "in"


def _attributes(attributes: object) -> list[tuple[str, str]]:
    if not isinstance(attributes, dict):
        return []
    rows = []
    for name, value in attributes.items():
        if isinstance(value, list | tuple):
            value = ", ".join(map(str, value))
        elif isinstance(value, bool):
            value = "Yes" if value else "No"
        rows.append((str(name).replace("_", " ").capitalize(), str(value)))
    return rows


def _product_json_ld(
    product: Product, *, selected: Variant | None, images: list, description: str
) -> SafeString:
    """schema.org Product data, so a shared link or a search result shows price and stock."""
    url = _absolute(product.get_absolute_url())
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title,
        "description": description,
        "url": url,
    }
    if images:
        data["image"] = [_absolute(image.image.url) for image in images]
    if product.brand:
        data["brand"] = {"@type": "Brand", "name": product.brand}
    if selected is not None:
        data["sku"] = selected.sku
        data["offers"] = {
            "@type": "Offer",
            "url": f"{url}?variant={selected.pk}",
            "price": _decimal(selected.price),
            "priceCurrency": settings.STORE_CURRENCY,
            "availability": "https://schema.org/"
            + ("InStock" if selected.in_stock else "OutOfStock"),
            "seller": {"@type": "Organization", "name": product.merchant.name},
        }
    if product.rating_count:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": round(product.rating_sum / product.rating_count, 1),
            "reviewCount": product.rating_count,
            "bestRating": 5,
            "worstRating": 1,
        }
    text = json.dumps(data, ensure_ascii=False)
    # As django's json_script does: nothing in the data can close the <script> element.
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(text)


# --- small formatting helpers -----------------------------------------------------------------


def _absolute(url: str) -> str:
    """An absolute URL on the configured site (never the request's Host: parts are cached)."""
    return urljoin(settings.SITE_URL, url)


def _canonical(path: str) -> SafeString:
    return part_render("catalog/page_head.html", {"canonical": _absolute(path), "noindex": False})


def _decimal(amount: int) -> str:
    """Minor units as a decimal string with two places, e.g. 1999 -> '19.99' (schema.org)."""
    major, minor = divmod(amount, 100)
    return f"{major}.{minor:02d}"


def _major(amount: int) -> str:
    """Minor units as someone would type them in a price box: 2500 -> '25', 1999 -> '19.99'."""
    major, minor = divmod(amount, 100)
    return str(major) if minor == 0 else f"{major}.{minor:02d}"


def _currency_symbol() -> str:
    """The store currency as the money filter shows it ('€'), for the price boxes' labels."""
    return money_format(0).replace("0.00", "").strip()


def _plain(text: str) -> str:
    return " ".join(strip_tags(text).split())
