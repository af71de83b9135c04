from datetime import UTC, datetime

import pytest
from django.db import connection
from django.http import Http404, QueryDict

from shop.catalog import category_selectors, product_filters, selectors, suggestions
from shop.catalog.product_filters import ProductFilters, product_filters_parse
from shop.catalog.selectors import product_list
from tests.factories import (
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db


def titles(filters: ProductFilters) -> list[str]:
    return [product.title for product in product_list(filters=filters)]


def parse(query: str, **kwargs):
    return product_filters_parse(QueryDict(query), **kwargs)


# --- product_filters_parse --------------------------------------------------------------------


def test_parse_reads_every_filter():
    category = CategoryFactory(slug="lamps")
    merchant = MerchantFactory(slug="lumen")

    filters, errors = parse(
        "q=+desk+lamp+&category=lamps&merchant=lumen&brand=Acme&min_price=25"
        "&max_price=19999.99&in_stock=1&sort=price_asc"
    )

    assert errors == {}
    assert filters == ProductFilters(
        q="desk lamp",
        category=category,
        merchant=merchant,
        brand="Acme",
        min_price=2500,
        max_price=1999999,
        in_stock=True,
        sort="price_asc",
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("min_price=abc", "min_price"),
        ("max_price=-5", "max_price"),
        ("min_price=1.999", "min_price"),
        ("max_price=99999999999999999999", "max_price"),
        ("sort=cheapest", "sort"),
        ("category=no-such-category", "category"),
        ("merchant=no-such-merchant", "merchant"),
        ("in_stock=maybe", "in_stock"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_parse_names_the_parameter_it_cannot_use(query, field):
    filters, errors = parse(query)

    assert list(errors) == [field]
    assert errors[field]


def test_parse_drops_a_bad_price_and_keeps_the_rest():
    filters, errors = parse("min_price=abc&max_price=30")

    assert filters.min_price is None
    assert filters.max_price == 3000
    assert "25 or 19.99" in errors["min_price"]


def test_parse_refuses_a_minimum_above_the_maximum():
    filters, errors = parse("min_price=50&max_price=20")

    assert filters.min_price == 5000
    assert filters.max_price is None
    assert "max_price" in errors


def test_parse_strips_nul_and_control_characters():
    filters, errors = parse("q=lamp%00&brand=Ac%00me&sort=newest%00")

    assert errors == {}
    assert (filters.q, filters.brand, filters.sort) == ("lamp", "Acme", "newest")


def test_parse_keeps_the_scope_given_by_the_page():
    category = CategoryFactory()

    filters, errors = parse("category=something-else", category=category)

    assert filters.category == category
    assert errors == {}


def test_default_sort_is_relevance_for_a_search_and_newest_otherwise():
    assert parse("q=lamp")[0].effective_sort == "relevance"
    assert parse("")[0].effective_sort == "newest"


# --- product_list -----------------------------------------------------------------------------


def test_list_shows_only_published_products():
    ProductFactory(title="On sale")
    ProductFactory(title="Draft", is_published=False)

    assert titles(ProductFilters()) == ["On sale"]


def test_list_annotates_from_price_stock_and_the_cheapest_compare_at_price():
    product = ProductFactory(with_variants=0)
    VariantFactory(product=product, price=3000, compare_at_price=4000, stock=0)
    VariantFactory(product=product, price=2000, compare_at_price=2500, stock=3)

    row = product_list(filters=ProductFilters()).get()

    assert (row.price_min, row.price_max, row.stock_total) == (2000, 3000, 3)
    assert row.price_min_compare_at == 2500


def test_search_matches_every_word_in_title_brand_description_or_category():
    lamps = CategoryFactory(name="Lamps")
    ProductFactory(title="Brass desk lamp", brand="Lumen", description="")
    ProductFactory(title="Reading light", category=lamps, description="A warm brass finish.")
    ProductFactory(title="Brass bowl", brand="Acme", description="")
    ProductFactory(title="Oak table", description="")

    # A title match ranks above a match in the category name.
    assert titles(ProductFilters(q="lamp")) == ["Brass desk lamp", "Reading light"]
    assert set(titles(ProductFilters(q="brass lamp"))) == {"Brass desk lamp", "Reading light"}
    assert titles(ProductFilters(q="LUMEN")) == ["Brass desk lamp"]
    assert titles(ProductFilters(q="nothing-like-this")) == []


def test_search_ranks_a_title_match_first():
    ProductFactory(title="Plain mug", description="Pairs well with a teapot.")
    ProductFactory(title="Teapot", description="")

    assert titles(ProductFilters(q="teapot", sort="relevance")) == ["Teapot", "Plain mug"]


def test_category_filter_includes_descendants():
    home = CategoryFactory(name="Home")
    kitchen = CategoryFactory(name="Kitchen", parent=home)
    knives = CategoryFactory(name="Knives", parent=kitchen)
    ProductFactory(title="Chef knife", category=knives)
    ProductFactory(title="Pan", category=kitchen)
    ProductFactory(title="Shirt")

    assert set(titles(ProductFilters(category=home))) == {"Chef knife", "Pan"}
    assert titles(ProductFilters(category=knives)) == ["Chef knife"]


def test_merchant_and_brand_filters():
    merchant = MerchantFactory()
    ProductFactory(title="Ours", merchant=merchant, brand="Nordic")
    ProductFactory(title="Theirs", brand="Nordic")
    ProductFactory(title="Ours too", merchant=merchant, brand="Acme")

    assert set(titles(ProductFilters(merchant=merchant))) == {"Ours", "Ours too"}
    assert set(titles(ProductFilters(brand="nordic"))) == {"Ours", "Theirs"}


def test_price_filter_keeps_products_with_any_variant_in_range():
    cheap = ProductFactory(title="Cheap", with_variants=0)
    VariantFactory(product=cheap, price=900)
    both = ProductFactory(title="Both", with_variants=0)
    VariantFactory(product=both, price=1500)
    VariantFactory(product=both, price=9000)
    dear = ProductFactory(title="Dear", with_variants=0)
    VariantFactory(product=dear, price=9000)

    assert set(titles(ProductFilters(min_price=1000, max_price=2000))) == {"Both"}
    assert set(titles(ProductFilters(max_price=1000))) == {"Cheap"}
    assert set(titles(ProductFilters(min_price=5000))) == {"Both", "Dear"}


def test_in_stock_filter_hides_products_with_no_stock_left():
    ProductFactory(title="Available")
    sold_out = ProductFactory(title="Sold out", with_variants=0)
    VariantFactory(product=sold_out, stock=0)

    assert titles(ProductFilters(in_stock=True)) == ["Available"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price_asc", ["Cheap", "Middle", "Dear"]),
        ("price_desc", ["Dear", "Middle", "Cheap"]),
        ("newest", ["Middle", "Dear", "Cheap"]),
        ("best_selling", ["Dear", "Cheap", "Middle"]),
        ("rating", ["Cheap", "Dear", "Middle"]),
    ],
)
def test_sorts(sort, expected):
    for title, price, sold, (count, total) in [
        ("Cheap", 500, 5, (2, 9)),
        ("Dear", 9000, 50, (3, 9)),
        ("Middle", 2000, 0, (0, 0)),
    ]:
        product = ProductFactory(
            title=title, with_variants=0, units_sold=sold, rating_count=count, rating_sum=total
        )
        VariantFactory(product=product, price=price)

    assert titles(ProductFilters(sort=sort)) == expected


# --- single reads -----------------------------------------------------------------------------


def test_product_get_refuses_an_unpublished_product():
    product = ProductFactory(is_published=False)

    with pytest.raises(Http404):
        selectors.product_get(slug=product.slug)


def test_category_tree_gives_ancestors_and_descendants():
    root = CategoryFactory()
    child = CategoryFactory(parent=root)
    grandchild = CategoryFactory(parent=child)

    tree = category_selectors.category_tree()

    assert tree.ancestors(grandchild) == [root, child]
    assert set(tree.descendant_ids(root)) == {root.pk, child.pk, grandchild.pk}
    assert tree.roots == [root]


def test_product_brands_are_distinct_and_scoped_to_the_category():
    lamps = CategoryFactory()
    ProductFactory(brand="Lumen", category=lamps)
    ProductFactory(brand="Lumen", category=lamps)
    ProductFactory(brand="Acme")

    assert selectors.product_brands() == ["Acme", "Lumen"]
    assert selectors.product_brands(filters=ProductFilters(category=lamps)) == ["Lumen"]


# --- prices under a price filter --------------------------------------------------------------


@pytest.fixture
def candle():
    """A product whose variants span €27.95 to €250.00."""
    product = ProductFactory(title="Candle holder", with_variants=0)
    VariantFactory(product=product, price=2795, compare_at_price=3500, stock=4)
    VariantFactory(product=product, price=5900, compare_at_price=7000, stock=0)
    VariantFactory(product=product, price=8900, stock=2)
    VariantFactory(product=product, price=25000, stock=1)
    return product


def test_price_filter_annotates_the_prices_of_the_variants_in_the_range(candle):
    row = product_list(filters=ProductFilters(min_price=5000, max_price=20000)).get()

    assert (row.price_min, row.price_max, row.price_min_compare_at) == (5900, 8900, 7000)
    assert row.stock_total == 7  # whether it is in stock is the product's, all variants


def test_an_open_ended_price_filter_annotates_the_variants_past_its_one_end(candle):
    row = product_list(filters=ProductFilters(min_price=8000)).get()

    assert (row.price_min, row.price_max, row.price_min_compare_at) == (8900, 25000, None)


def test_without_a_price_filter_the_card_prices_span_every_variant(candle):
    row = product_list(filters=ProductFilters()).get()

    assert (row.price_min, row.price_max, row.price_min_compare_at) == (2795, 25000, 3500)


def test_products_by_id_take_the_price_range_of_the_list(candle):
    prices = product_filters.PriceRange(low=5000, high=20000)

    row = selectors.product_list_by_ids(product_ids=[candle.pk], prices=prices)[candle.pk]

    assert (row.price_min, row.price_max) == (5900, 8900)


def test_price_range_parse_reads_the_range_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        prices, errors = product_filters.product_price_range_parse(
            QueryDict("min_price=50&max_price=200")
        )
        bad, bad_errors = product_filters.product_price_range_parse(QueryDict("min_price=x"))

    assert (prices, prices.key, errors) == (
        product_filters.PriceRange(5000, 20000),
        "5000-20000",
        {},
    )
    assert (bool(bad), bad.key, list(bad_errors)) == (False, "", ["min_price"])


# --- out of stock last ------------------------------------------------------------------------


@pytest.fixture
def shelf():
    """Five products, newest first: New (sold out), Recent, Old (sold out), Older, Bare (none)."""
    rows = [("New", 0), ("Recent", 3), ("Old", 0), ("Older", 9), ("Bare", None)]
    for age, (title, stock) in enumerate(rows):
        product = ProductFactory(title=title, description="shelf", with_variants=0)
        if stock is not None:
            VariantFactory(product=product, stock=stock, price=1000 + 100 * age)
        product.__class__.objects.filter(pk=product.pk).update(
            created_at=datetime(2024, 1, 10 - age, tzinfo=UTC)
        )


@pytest.mark.parametrize(
    "filters",
    [ProductFilters(), ProductFilters(sort="newest"), ProductFilters(q="shelf")],
    ids=["default", "newest", "search"],
)
def test_default_sorts_put_products_out_of_stock_last_keeping_their_order(shelf, filters):
    assert titles(filters) == ["Recent", "Older", "New", "Old", "Bare"]


def test_a_sort_asked_for_keeps_products_out_of_stock_in_place(shelf):
    listed = titles(ProductFilters(sort="price_asc"))

    # (Where a product without variants goes is the database's NULL order.)
    assert [title for title in listed if title != "Bare"] == ["New", "Recent", "Old", "Older"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("", True), ("sort=newest", True), ("sort=relevance", True), ("sort=bogus", True)]
    + [(f"sort={sort}", False) for sort in ("price_asc", "price_desc", "best_selling", "rating")],
)
def test_lists_in_the_default_orders_depend_on_stock(query, expected):
    assert product_filters.product_list_orders_by_stock(QueryDict(query)) is expected


# --- "did you mean" ---------------------------------------------------------------------------


@pytest.fixture
def outdoor():
    tents = CategoryFactory(name="Tents", slug="tents")
    sleeping = CategoryFactory(name="Sleeping gear", slug="sleeping")
    for title, category in [
        ("Ridge two-person tent", tents),
        ("Summit tent", tents),
        ("Down sleeping bag", sleeping),
        ("Trail backpack", sleeping),
        ("Camp lantern", sleeping),
    ]:
        ProductFactory(title=title, category=category, description="", brand="")
    ProductFactory(title="Secret tarpaulin", description="", brand="", is_published=False)
    return tents, sleeping


def suggest(q: str, **filters) -> str:
    return suggestions.product_search_suggestion(filters=ProductFilters(q=q, **filters))


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("tnet", "tent"),  # two letters swapped
        ("TNET", "tent"),
        ("sleping bag", "sleeping bag"),  # a letter left out, a right word kept
        ("backpak", "backpack"),
        ("lantren", "lantern"),
        ("summt", "summit"),
    ],
)
def test_suggestion_corrects_a_misspelt_search(outdoor, typed, meant):
    assert titles(ProductFilters(q=typed)) == []

    assert suggest(typed) == meant
    assert titles(ProductFilters(q=meant))


@pytest.mark.parametrize("typed", ["zzzzq", "tarpualin", "ok", "12345", ""])
def test_no_suggestion_when_nothing_published_is_close(outdoor, typed):
    assert suggest(typed) == ""


def test_no_suggestion_that_would_find_nothing_under_the_same_filters(outdoor):
    _, sleeping = outdoor

    assert suggest("tnet", category=sleeping) == ""
    assert suggest("lantren", category=sleeping) == "lantern"


def test_suggestion_knows_category_names(outdoor):
    ProductFactory(title="Anorak", description="", category=CategoryFactory(name="Outerwear"))

    assert suggest("outerwaer") == "outerwear"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite vocabulary")
def test_sqlite_vocabulary_is_read_once_per_catalogue_version(outdoor, django_assert_num_queries):
    suggest("tnet")  # reads the category tree and the vocabulary, and caches them

    with django_assert_num_queries(1):  # the suggestion's own search; the words are cached
        assert suggest("backpak") == "backpack"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (pg_trgm)")
def test_postgresql_asks_the_trigram_index_for_similar_titles(outdoor, django_assert_num_queries):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'catalog_product_title_trgm'"
        )
        assert "gin_trgm_ops" in cursor.fetchone()[0]

    category_selectors.category_tree()  # cached, as on a page (which reads it first)

    with django_assert_num_queries(2) as captured:  # similar titles, the suggestion's search
        assert suggest("tnet") == "tent"

    assert "%>" in captured.captured_queries[0]["sql"]


@pytest.mark.parametrize("slug", ["trail\x00jacket", "trail jacket", "x" * 221, ""])
def test_a_slug_no_product_can_have_is_no_product_without_a_query(slug, django_assert_num_queries):
    ProductFactory(slug="trail-jacket")

    with django_assert_num_queries(0):
        for get in (selectors.product_brief_get, selectors.product_with_merchant_get):
            with pytest.raises(Http404):
                get(slug=slug)
