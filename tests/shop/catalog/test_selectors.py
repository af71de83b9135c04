import pytest
from django.http import Http404, QueryDict

from shop.catalog import selectors
from shop.catalog.selectors import ProductFilters, product_filters_parse, product_list
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
    for title, price, sold, rating in [
        ("Cheap", 500, 5, "4.50"),
        ("Dear", 9000, 50, "3.00"),
        ("Middle", 2000, 0, None),
    ]:
        product = ProductFactory(
            title=title, with_variants=0, units_sold=sold, rating_average=rating
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

    tree = selectors.category_tree()

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
