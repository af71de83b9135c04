"""The catalogue admin of variants, merchants and categories, as merchant staff and as the
operator: stock in the variant list, logos, the staff picker, prices in euros, options as
rows, categories as a tree."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shop.catalog import selectors
from shop.catalog.models import Merchant, Product, Variant
from tests.factories import (
    CategoryFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
)
from tests.shop.catalog.admin_forms import ADD, CHANGELIST, VARIANT, change_url, png, product_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


# --- variants, merchants, categories --------------------------------------------------------


def test_staff_sets_stock_in_the_variant_list(
    staff_client, merchant_a, merchant_b, django_capture_on_commit_callbacks
):
    variant = VariantFactory(product=ProductFactory(merchant=merchant_a, with_variants=0), stock=2)
    VariantFactory(product=ProductFactory(merchant=merchant_b, with_variants=0), sku="BETA-1")
    listing = staff_client.get("/admin/catalog/variant/")
    assert "BETA-1" not in listing.text
    before = selectors.catalog_version()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/admin/catalog/variant/",
            {
                "form-TOTAL_FORMS": 1,
                "form-INITIAL_FORMS": 1,
                "form-MIN_NUM_FORMS": 0,
                "form-MAX_NUM_FORMS": 1000,
                "form-0-id": variant.pk,
                "form-0-stock": 25,
                "_save": "Save",
            },
        )

    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.stock == 25
    assert selectors.catalog_version() > before


@pytest.mark.parametrize("n", [10, 100])
def test_variant_list_queries_do_not_grow(staff_client, merchant_a, django_assert_num_queries, n):
    ProductFactory.create_batch(n // 2, merchant=merchant_a, with_variants=2)

    # the session with its user, user permissions, group permissions, filtered count, full count,
    # variants with products, category filter.
    with django_assert_num_queries(7):
        assert staff_client.get("/admin/catalog/variant/").status_code == 200


def test_staff_edits_their_merchant_but_not_its_staff(staff_client, merchant_a, merchant_b):
    response = staff_client.get(reverse("admin:catalog_merchant_changelist"))
    assert "Alpha Outdoor" in response.text
    assert "Beta Home" not in response.text

    form = staff_client.get(reverse("admin:catalog_merchant_change", args=[merchant_a.pk]))

    assert form.status_code == 200
    assert "staff" not in form.context["adminform"].form.fields
    assert (
        staff_client.get(reverse("admin:catalog_merchant_change", args=[merchant_b.pk])).status_code
        == 302
    )
    assert staff_client.get(reverse("admin:catalog_merchant_add")).status_code == 403
    assert (
        staff_client.get(reverse("admin:catalog_merchant_delete", args=[merchant_a.pk])).status_code
        == 403
    )


def test_staff_uploads_a_logo_for_their_merchant(staff_client, merchant_a, staff_a):
    response = staff_client.post(
        reverse("admin:catalog_merchant_change", args=[merchant_a.pk]),
        {"name": "Alpha Outdoor Co.", "description": "Tents.", "logo_upload": png("logo.png")},
    )

    assert response.status_code == 302
    merchant_a.refresh_from_db()
    assert merchant_a.name == "Alpha Outdoor Co."
    assert merchant_a.logo.name.endswith(".webp")
    assert list(merchant_a.staff.all()) == [staff_a]  # the staff list was not touched


def test_a_logo_that_is_not_an_image_gets_a_form_error(staff_client, merchant_a):
    bad = SimpleUploadedFile("logo.gif", b"GIF89a broken", content_type="image/gif")

    response = staff_client.post(
        reverse("admin:catalog_merchant_change", args=[merchant_a.pk]),
        {"name": "Alpha", "description": "", "logo_upload": bad},
    )

    assert response.status_code == 200
    assert "logo_upload" in response.context["adminform"].form.errors
    merchant_a.refresh_from_db()
    assert not merchant_a.logo


def test_operator_sees_the_staff_picker_on_a_merchant(operator_client, merchant_a, staff_a):
    response = operator_client.get(reverse("admin:catalog_merchant_change", args=[merchant_a.pk]))

    assert response.status_code == 200
    assert "staff" in response.context["adminform"].form.fields
    assert staff_a.username in response.text


def test_operator_adds_a_merchant_with_staff_who_get_the_group(operator_client):
    newcomer = UserFactory(username="newcomer", is_staff=False)

    response = operator_client.post(
        reverse("admin:catalog_merchant_add"),
        {
            "name": "Gamma Goods",
            "slug": "gamma",
            "description": "",
            "staff": [newcomer.pk],
        },
    )

    assert response.status_code == 302
    merchant = Merchant.objects.get(slug="gamma")
    assert list(merchant.staff.all()) == [newcomer]
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert newcomer.has_perm("catalog.change_product")


def test_staff_may_view_categories_but_not_change_them(staff_client):
    category = CategoryFactory(name="Tents")

    assert "Tents" in staff_client.get(reverse("admin:catalog_category_changelist")).text
    assert staff_client.get(reverse("admin:catalog_category_add")).status_code == 403
    response = staff_client.post(
        reverse("admin:catalog_category_change", args=[category.pk]),
        {"name": "Renamed", "slug": category.slug, "position": 0},
    )
    assert response.status_code == 403
    category.refresh_from_db()
    assert category.name == "Tents"


def test_operator_edits_a_category_and_bumps_the_version(
    operator_client, django_capture_on_commit_callbacks
):
    category = CategoryFactory(name="Tents")
    before = selectors.catalog_version()

    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(
            reverse("admin:catalog_category_change", args=[category.pk]),
            {"name": "Tents & shelters", "slug": category.slug, "description": "", "position": 0},
        )

    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name == "Tents & shelters"
    assert selectors.catalog_version() > before


def test_staff_opens_their_variant_but_not_another_merchants(staff_client, merchant_a, merchant_b):
    mine = VariantFactory(product=ProductFactory(merchant=merchant_a, with_variants=0))
    theirs = VariantFactory(product=ProductFactory(merchant=merchant_b, with_variants=0))

    assert (
        staff_client.get(reverse("admin:catalog_variant_change", args=[mine.pk])).status_code == 200
    )
    assert (
        staff_client.get(reverse("admin:catalog_variant_change", args=[theirs.pk])).status_code
        == 302
    )


def test_variant_admin_has_no_add_page(staff_client):
    assert staff_client.get("/admin/catalog/variant/add/").status_code == 403
    assert Variant.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/catalog/product/",
        "/admin/catalog/product/add/",
        "/admin/catalog/variant/",
        "/admin/catalog/merchant/",
        "/admin/catalog/merchant/add/",
        "/admin/catalog/category/",
        "/admin/catalog/category/add/",
    ],
)
def test_operator_opens_every_catalogue_admin_page(operator_client, merchant_a, url):
    VariantFactory(product=ProductFactory(merchant=merchant_a, with_variants=0))

    assert operator_client.get(url).status_code == 200


# --- prices in euros, options as rows (issue 14) --------------------------------------------


def _variant_page_data(variant: Variant, **changes) -> dict:
    data = {
        "sku": variant.sku,
        "name": variant.name,
        "options-name": ["size"],
        "options-value": ["M"],
        "price": "25.00",
        "compare_at_price": "",
        "stock": variant.stock,
        "position": 0,
    }
    return {**data, **changes}


@pytest.mark.parametrize(("typed", "cents"), [("29.99", 2999), ("29,99", 2999), ("€30", 3000)])
def test_staff_type_a_variants_price_in_euros(staff_client, merchant_a, typed, cents):
    variant = VariantFactory(product=ProductFactory(merchant=merchant_a, with_variants=0))
    url = reverse("admin:catalog_variant_change", args=[variant.pk])

    response = staff_client.post(url, _variant_page_data(variant, price=typed))

    assert response.status_code == 302, response.context["adminform"].form.errors
    variant.refresh_from_db()
    assert (variant.price, variant.options) == (cents, {"size": "M"})


def test_the_variant_page_shows_prices_in_euros(staff_client, merchant_a):
    variant = VariantFactory(
        product=ProductFactory(merchant=merchant_a, with_variants=0),
        price=2999,
        compare_at_price=3500,
    )

    response = staff_client.get(reverse("admin:catalog_variant_change", args=[variant.pk]))

    assert 'name="price" value="29.99"' in response.text
    assert 'name="compare_at_price" value="35.00"' in response.text
    assert "In euros, e.g. 29.99." in response.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"price": "29.999"}, "price", "Enter at most two decimals (whole cents), e.g. 29.99."),
        ({"price": "twenty"}, "price", "Enter an amount in euros, e.g. 29.99."),
        ({"price": "-5"}, "price", "Enter an amount of zero or more: it cannot be negative."),
        (
            {"price": "30", "compare_at_price": "30"},
            "compare_at_price",
            "The compare-at price (the former price, shown struck through) must be above the "
            "price. Leave it empty for none.",
        ),
        (
            {"options-name": ["size", "SIZE"], "options-value": ["M", "L"]},
            "options",
            "“SIZE” is named twice: each name once, please.",
        ),
    ],
)
def test_a_variant_that_cannot_be_saved_is_explained(
    staff_client, merchant_a, changes, field, message
):
    variant = VariantFactory(product=ProductFactory(merchant=merchant_a, with_variants=0))
    url = reverse("admin:catalog_variant_change", args=[variant.pk])

    response = staff_client.post(url, _variant_page_data(variant, **changes))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    before = variant.price
    variant.refresh_from_db()
    assert variant.price == before


def _rows_shown(html: str, name: str) -> dict[str, str]:
    """The filled name/value rows of the widget posting as `name`."""
    names = re.findall(rf'name="{name}-name" id="[^"]+" value="([^"]*)"', html)
    values = re.findall(rf'name="{name}-value" id="[^"]+" value="([^"]*)"', html)
    return {key: value for key, value in zip(names, values, strict=True) if key}


def test_the_product_page_shows_attributes_and_options_as_rows(staff_client, merchant_a):
    product = ProductFactory(
        merchant=merchant_a, with_variants=0, attributes={"material": "merino", "care": "Hand wash"}
    )
    VariantFactory(product=product, options={"size": "M"}, price=8900)

    html = staff_client.get(change_url(product)).text

    # Rows in the stored order (PostgreSQL's jsonb keeps its own: shorter keys first).
    assert _rows_shown(html, "attributes") == {"material": "merino", "care": "Hand wash"}
    assert 'aria-label="Attribute 2 value"' in html
    assert _rows_shown(html, "variants-0-options") == {"size": "M"}
    assert 'name="variants-0-price" value="89.00"' in html
    assert 'aria-label="Price in euros"' in html
    assert "{&quot;material" not in html and "{&quot;size" not in html  # no raw JSON to edit
    assert "js/admin-name-value.js" in html


def test_staff_save_attributes_typed_as_rows(staff_client, merchant_a):
    category = CategoryFactory()
    data = product_form(merchant=merchant_a, category=category, variants=[VARIANT])
    data["attributes-name"] = ["material", "", "made in"]
    data["attributes-value"] = ["merino", "", "Portugal"]

    response = staff_client.post(ADD, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    product = Product.objects.get(slug="trail-runner")
    assert product.attributes == {"material": "merino", "made in": "Portugal"}


# --- categories as a tree (issue 14) --------------------------------------------------------


@pytest.fixture
def clothing_tree():
    """Clothing > Jackets > Rain jackets, Clothing > Shirts, and Tents, in shuffled positions."""
    tents = CategoryFactory(name="Tents", position=2)
    clothing = CategoryFactory(name="Clothing", position=1)
    shirts = CategoryFactory(name="Shirts", parent=clothing, position=2)
    jackets = CategoryFactory(name="Jackets", parent=clothing, position=1)
    rain = CategoryFactory(name="Rain jackets", parent=jackets)
    return {
        "clothing": clothing,
        "jackets": jackets,
        "rain": rain,
        "shirts": shirts,
        "tents": tents,
    }


def _choice_labels(field) -> list[str]:
    return [str(label) for value, label in field.choices if value != ""]


def test_the_product_form_offers_categories_as_an_indented_tree(staff_client, clothing_tree):
    form = staff_client.get(ADD).context["adminform"].form

    assert _choice_labels(form.fields["category"]) == [
        "Clothing",
        "— Jackets",
        "— — Rain jackets",
        "— Shirts",
        "Tents",
    ]


@pytest.mark.parametrize("n", [10, 100])
def test_the_category_tree_costs_one_query_however_many_categories(
    staff_client, merchant_a, django_assert_num_queries, n
):
    parents = CategoryFactory.create_batch(n // 10)
    for index in range(n - len(parents)):
        CategoryFactory(parent=parents[index % len(parents)])

    # the session with its user, user permissions, group permissions, merchant preset, merchant
    # choices, category tree.
    with django_assert_num_queries(6):
        response = staff_client.get(ADD)

    category_select = response.text.split('id="id_category"')[1].split("</select>")[0]
    assert category_select.count("<option") == n + 1  # and the empty choice


def test_a_categorys_parent_cannot_be_itself_or_below_it(operator_client, clothing_tree):
    jackets = clothing_tree["jackets"]
    url = reverse("admin:catalog_category_change", args=[jackets.pk])

    offered = _choice_labels(operator_client.get(url).context["adminform"].form.fields["parent"])
    response = operator_client.post(
        url,
        {
            "name": "Jackets",
            "slug": jackets.slug,
            "parent": clothing_tree["rain"].pk,
            "position": 1,
        },
    )

    assert offered == ["Clothing", "— Shirts", "Tents"]
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"] == [
        "A category cannot sit under itself or one of its own subcategories."
    ]
    jackets.refresh_from_db()
    assert jackets.parent == clothing_tree["clothing"]


def test_the_category_filter_is_a_tree_and_a_parent_includes_its_children(
    staff_client, merchant_a, clothing_tree
):
    ProductFactory(merchant=merchant_a, title="Storm Shell", category=clothing_tree["rain"])
    ProductFactory(merchant=merchant_a, title="Ridge Tent", category=clothing_tree["tents"])

    listing = staff_client.get(CHANGELIST)
    category_filter = next(
        spec for spec in listing.context["cl"].filter_specs if spec.title == "category"
    )
    filtered = staff_client.get(CHANGELIST, {"category__id__exact": clothing_tree["clothing"].pk})

    # Categories with products, and the categories above them (Shirts has none).
    assert [label for _, label in category_filter.lookup_choices] == [
        "Clothing",
        "— Jackets",
        "— — Rain jackets",
        "Tents",
    ]
    assert [p.title for p in filtered.context["cl"].result_list] == ["Storm Shell"]
