"""The catalogue admin as merchant staff and as the operator, through the admin's URLs."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shop.catalog import selectors, services
from shop.catalog.models import Category, Merchant, Product, ProductImage, Variant
from tests.factories import (
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
    VariantFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/catalog/product/"
ADD = "/admin/catalog/product/add/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def merchant_a():
    return MerchantFactory(name="Alpha Outdoor", slug="alpha")


@pytest.fixture
def merchant_b():
    return MerchantFactory(name="Beta Home", slug="beta")


@pytest.fixture
def staff_a(merchant_a):
    user = UserFactory(username="alice")
    services.merchant_staff_add(merchant=merchant_a, user=user)
    return user


@pytest.fixture
def staff_client(client, staff_a):
    client.force_login(staff_a)
    return client


@pytest.fixture
def operator_client(client):
    client.force_login(UserFactory(username="operator", is_staff=True, is_superuser=True))
    return client


def _change_url(product: Product) -> str:
    return reverse("admin:catalog_product_change", args=[product.pk])


def _product_form(
    *, merchant, category, title="Trail Runner", slug="trail-runner", variants=(), images=()
) -> dict:
    """POST data of the product add form with its two inline formsets."""
    data = {
        "merchant": merchant.pk,
        "category": category.pk,
        "title": title,
        "slug": slug,
        "brand": "Acme",
        "description": "Light and quick.",
        "attributes-name": "",
        "attributes-value": "",
        "is_published": "on",
        "variants-TOTAL_FORMS": len(variants),
        "variants-INITIAL_FORMS": 0,
        "variants-MIN_NUM_FORMS": 0,
        "variants-MAX_NUM_FORMS": 1000,
        "images-TOTAL_FORMS": len(images),
        "images-INITIAL_FORMS": 0,
        "images-MIN_NUM_FORMS": 0,
        "images-MAX_NUM_FORMS": 1000,
    }
    for index, variant in enumerate(variants):
        data.update({f"variants-{index}-{key}": value for key, value in variant.items()})
    for index, image in enumerate(images):
        data.update({f"images-{index}-{key}": value for key, value in image.items()})
    return data


def _png(name="shoe.png", size=(60, 40)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(size=size), content_type="image/png")


VARIANT = {
    "sku": "TR-42",
    "name": "42",
    "options-name": "size",
    "options-value": "42",
    "price": "89.00",
    "compare_at_price": "",
    "stock": "7",
    "position": "0",
}


# --- who sees what --------------------------------------------------------------------------


def test_staff_sees_only_their_merchants_products_in_the_list(staff_client, merchant_a, merchant_b):
    ProductFactory(merchant=merchant_a, title="Alpha Tent")
    ProductFactory(merchant=merchant_b, title="Beta Teapot")

    response = staff_client.get(CHANGELIST)

    assert response.status_code == 200
    assert "Alpha Tent" in response.text
    assert "Beta Teapot" not in response.text
    assert response.context["cl"].result_count == 1


def test_superuser_sees_every_merchants_products(operator_client, merchant_a, merchant_b):
    ProductFactory(merchant=merchant_a, title="Alpha Tent")
    ProductFactory(merchant=merchant_b, title="Beta Teapot")

    response = operator_client.get(CHANGELIST)

    assert "Alpha Tent" in response.text
    assert "Beta Teapot" in response.text
    assert response.context["cl"].result_count == 2


def test_changelist_shows_price_range_and_total_stock(staff_client, merchant_a):
    product = ProductFactory(merchant=merchant_a, with_variants=0)
    VariantFactory(product=product, price=1999, stock=3)
    VariantFactory(product=product, price=4500, stock=4)

    response = staff_client.get(CHANGELIST)

    assert "€19.99 – €45.00" in response.text
    assert '<td class="field-total_stock">7</td>' in response.text


def test_staff_searching_by_sku_finds_their_product(staff_client, merchant_a):
    VariantFactory(product=ProductFactory(merchant=merchant_a, title="Alpha Tent"), sku="ALP-1")
    ProductFactory(merchant=merchant_a, title="Alpha Stove")

    response = staff_client.get(CHANGELIST, {"q": "ALP-1"})

    assert response.context["cl"].result_count == 1
    assert "Alpha Tent" in response.text


def test_staff_cannot_open_another_merchants_product(staff_client, merchant_b):
    product = ProductFactory(merchant=merchant_b, title="Beta Teapot")

    response = staff_client.get(_change_url(product))

    # Outside the admin's queryset the product "doesn't exist": redirect to the index.
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_staff_cannot_change_another_merchants_product_by_posting(staff_client, merchant_b):
    product = ProductFactory(merchant=merchant_b, title="Beta Teapot")
    data = _product_form(
        merchant=merchant_b, category=product.category, title="Hijacked", slug=product.slug
    )

    response = staff_client.post(_change_url(product), data)

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.title == "Beta Teapot"


def test_staff_cannot_create_a_product_for_another_merchant(staff_client, merchant_b):
    category = CategoryFactory()

    response = staff_client.post(ADD, _product_form(merchant=merchant_b, category=category))

    assert response.status_code == 200
    assert "merchant" in response.context["adminform"].form.errors
    assert not Product.objects.filter(slug="trail-runner").exists()


def test_add_form_presets_the_only_merchant_and_offers_every_category(
    staff_client, merchant_a, merchant_b
):
    CategoryFactory.create_batch(3)

    form = staff_client.get(ADD).context["adminform"].form

    assert list(form.fields["merchant"].queryset) == [merchant_a]
    assert form["merchant"].value() == merchant_a.pk
    assert form.fields["category"].queryset.count() == Category.objects.count() == 3


def test_staff_adds_a_product_with_a_variant_and_an_image(
    staff_client, merchant_a, django_capture_on_commit_callbacks
):
    category = CategoryFactory()
    before = selectors.catalog_version()
    data = _product_form(
        merchant=merchant_a,
        category=category,
        variants=[VARIANT],
        images=[{"upload": _png(), "alt_text": "The shoe from the side", "position": "0"}],
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(ADD, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    product = Product.objects.get(slug="trail-runner")
    assert product.merchant == merchant_a
    assert list(product.variants.values_list("sku", "price", "stock", "options")) == [
        ("TR-42", 8900, 7, {"size": "42"})
    ]
    image = product.images.get()
    assert image.alt_text == "The shoe from the side"
    assert image.image.name.endswith(".webp") and "shoe" not in image.image.name
    assert image.thumbnail
    assert selectors.catalog_version() > before


def test_change_page_shows_the_inline_variants_and_images(staff_client, merchant_a):
    product = ProductFactory(merchant=merchant_a, with_variants=0)
    VariantFactory(product=product, sku="ALP-TENT-2P")
    ProductImageFactory(product=product, alt_text="Tent pitched on a ridge")

    response = staff_client.get(_change_url(product))

    assert response.status_code == 200
    assert 'value="ALP-TENT-2P"' in response.text
    assert 'alt="Tent pitched on a ridge"' in response.text
    assert 'id="variants-group"' in response.text
    assert 'id="images-group"' in response.text


def test_a_file_that_is_not_an_image_gets_a_form_error(staff_client, merchant_a):
    category = CategoryFactory()
    text = SimpleUploadedFile("notes.png", b"this is not a picture", content_type="image/png")
    data = _product_form(
        merchant=merchant_a,
        category=category,
        images=[{"upload": text, "alt_text": "Nothing", "position": "0"}],
    )

    response = staff_client.post(ADD, data)

    assert response.status_code == 200
    assert "Upload a valid image" in response.text
    assert not Product.objects.exists()
    assert not ProductImage.objects.exists()


def test_an_image_with_too_many_pixels_gets_a_form_error(staff_client, merchant_a, settings):
    settings.IMAGE_MAX_PIXELS = 1_000  # the upload below has 60×40 = 2,400
    data = _product_form(
        merchant=merchant_a,
        category=CategoryFactory(),
        images=[{"upload": _png(size=(60, 40)), "alt_text": "Too big", "position": "0"}],
    )

    response = staff_client.post(ADD, data)

    assert response.status_code == 200
    assert "too many pixels" in response.text
    assert not ProductImage.objects.exists()


def test_a_new_image_needs_alt_text(staff_client, merchant_a):
    data = _product_form(
        merchant=merchant_a,
        category=CategoryFactory(),
        images=[{"upload": _png(), "alt_text": "", "position": "0"}],
    )

    response = staff_client.post(ADD, data)

    assert response.status_code == 200
    image_form = response.context["inline_admin_formsets"][1].formset.forms[0]
    assert "alt_text" in image_form.errors
    assert not Product.objects.exists()


def test_a_compare_at_price_below_the_price_is_a_form_error(staff_client, merchant_a):
    data = _product_form(
        merchant=merchant_a,
        category=CategoryFactory(),
        variants=[{**VARIANT, "compare_at_price": "1.00"}],
    )

    response = staff_client.post(ADD, data)

    assert response.status_code == 200
    assert not Product.objects.exists()


def test_deleting_an_image_inline_goes_through_the_service(
    staff_client, merchant_a, django_capture_on_commit_callbacks
):
    product = ProductFactory(merchant=merchant_a, with_variants=0, slug="tent")
    image = ProductImageFactory(product=product)
    data = _product_form(
        merchant=merchant_a, category=product.category, title=product.title, slug="tent"
    )
    data.update(
        {
            "images-TOTAL_FORMS": 1,
            "images-INITIAL_FORMS": 1,
            "images-0-id": image.pk,
            "images-0-product": product.pk,
            "images-0-alt_text": image.alt_text,
            "images-0-position": "0",
            "images-0-DELETE": "on",
        }
    )
    before = selectors.catalog_version()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(_change_url(product), data)

    assert response.status_code == 302
    assert not ProductImage.objects.exists()
    assert selectors.catalog_version() > before


# --- actions --------------------------------------------------------------------------------


def test_publish_action_publishes_and_bumps_the_catalogue_version(
    staff_client, merchant_a, django_capture_on_commit_callbacks
):
    drafts = ProductFactory.create_batch(3, merchant=merchant_a, is_published=False)
    live = ProductFactory(merchant=merchant_a, is_published=True)
    before = selectors.catalog_version()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            CHANGELIST,
            {"action": "publish", "_selected_action": [p.pk for p in [*drafts, live]]},
            follow=True,
        )

    assert Product.objects.filter(is_published=True).count() == 4
    assert "3 products were published." in response.text
    assert selectors.catalog_version() > before


def test_unpublish_action_reports_how_many_changed(staff_client, merchant_a):
    live = ProductFactory(merchant=merchant_a, is_published=True)

    response = staff_client.post(
        CHANGELIST, {"action": "unpublish", "_selected_action": [live.pk]}, follow=True
    )

    assert "1 product was unpublished." in response.text
    live.refresh_from_db()
    assert not live.is_published


def test_publish_action_ignores_ids_of_another_merchant(staff_client, merchant_a, merchant_b):
    theirs = ProductFactory(merchant=merchant_b, is_published=False)

    staff_client.post(CHANGELIST, {"action": "publish", "_selected_action": [theirs.pk]})

    theirs.refresh_from_db()
    assert not theirs.is_published


def test_delete_action_deletes_only_own_products(staff_client, merchant_a, merchant_b):
    mine = ProductFactory(merchant=merchant_a)
    theirs = ProductFactory(merchant=merchant_b)

    staff_client.post(
        CHANGELIST,
        {"action": "delete_selected", "post": "yes", "_selected_action": [mine.pk, theirs.pk]},
    )

    assert list(Product.objects.all()) == [theirs]


# --- query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", [10, 100])
def test_staff_changelist_queries_do_not_grow_with_products(
    staff_client, merchant_a, django_assert_num_queries, n
):
    for product in ProductFactory.create_batch(n, merchant=merchant_a, with_variants=2):
        ProductImageFactory(product=product)

    # session, user, user permissions, group permissions, their merchant count (for the
    # merchant column), category filter, filtered count, full count, products (merchant,
    # category, price and stock as subqueries), date hierarchy range and its days, brand filter.
    with django_assert_num_queries(12):
        assert staff_client.get(CHANGELIST).status_code == 200


@pytest.mark.parametrize("n", [10, 100])
def test_operator_changelist_queries_do_not_grow_with_products(
    operator_client, django_assert_num_queries, n
):
    merchants = MerchantFactory.create_batch(3)
    for index in range(n):
        ProductFactory(merchant=merchants[index % 3], with_variants=2)

    # session, user, category filter, merchant filter, filtered count, full count, products,
    # date hierarchy range and its days, brand filter (a superuser needs no permission rows).
    with django_assert_num_queries(10):
        assert operator_client.get(CHANGELIST).status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_change_page_queries_do_not_grow_with_variants_and_images(
    staff_client, merchant_a, django_assert_num_queries, n
):
    product = ProductFactory(merchant=merchant_a, with_variants=n, with_images=n)
    ContentType.objects.clear_cache()  # the count must not depend on the tests run before

    # session, user, product, user permissions, group permissions, merchant preset, variants
    # (with their product), images, content type (for "view on site"), merchant choices,
    # category choices.
    with django_assert_num_queries(11):
        assert staff_client.get(_change_url(product)).status_code == 200


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

    # session, user, user permissions, group permissions, filtered count, full count,
    # variants with products, category filter.
    with django_assert_num_queries(8):
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
        {"name": "Alpha Outdoor Co.", "description": "Tents.", "logo_upload": _png("logo.png")},
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


# --- thumbnails in the product list ---------------------------------------------------------


def test_product_list_rows_show_the_first_pictures_thumbnail(staff_client, merchant_a):
    pictured = ProductFactory(merchant=merchant_a, title="Pictured")
    ProductImageFactory(product=pictured, position=1)
    first = ProductImageFactory(product=pictured, position=0)
    ProductFactory(merchant=merchant_a, title="Bare")

    response = staff_client.get(CHANGELIST)

    html = response.content.decode()
    assert f'<img src="{first.thumbnail.url}"' in html
    assert html.count('<img src="/media/catalog/') == 1


@pytest.mark.parametrize("n", [10, 100])
def test_product_list_thumbnails_cost_no_query_per_row(
    staff_client, merchant_a, django_assert_num_queries, n
):
    for product in ProductFactory.create_batch(n, merchant=merchant_a, with_variants=1):
        ProductImageFactory(product=product)

    # The same twelve as without thumbnails: the first picture comes in the products query.
    with django_assert_num_queries(12):
        response = staff_client.get(CHANGELIST)

    assert response.content.decode().count('<img src="/media/catalog/') == min(n, 50)


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

    html = staff_client.get(_change_url(product)).text

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
    data = _product_form(merchant=merchant_a, category=category, variants=[VARIANT])
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

    # session, user, user permissions, group permissions, merchant preset, merchant choices,
    # category tree.
    with django_assert_num_queries(7):
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
