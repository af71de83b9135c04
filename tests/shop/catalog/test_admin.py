"""The catalogue admin as merchant staff and as the operator, through the admin's URLs:
products (who sees what, actions, query counts, thumbnails). Variants, merchants and
categories: test_admin_variants.py."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shop.catalog import selectors
from shop.catalog.models import Category, Product, ProductImage
from tests.factories import (
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    ProductImageFactory,
    VariantFactory,
)
from tests.shop.catalog.admin_forms import ADD, CHANGELIST, VARIANT, change_url, png, product_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


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

    response = staff_client.get(change_url(product))

    # Outside the admin's queryset the product "doesn't exist": redirect to the index.
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_staff_cannot_change_another_merchants_product_by_posting(staff_client, merchant_b):
    product = ProductFactory(merchant=merchant_b, title="Beta Teapot")
    data = product_form(
        merchant=merchant_b, category=product.category, title="Hijacked", slug=product.slug
    )

    response = staff_client.post(change_url(product), data)

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.title == "Beta Teapot"


def test_staff_cannot_create_a_product_for_another_merchant(staff_client, merchant_b):
    category = CategoryFactory()

    response = staff_client.post(ADD, product_form(merchant=merchant_b, category=category))

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
    data = product_form(
        merchant=merchant_a,
        category=category,
        variants=[VARIANT],
        images=[{"upload": png(), "alt_text": "The shoe from the side", "position": "0"}],
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

    response = staff_client.get(change_url(product))

    assert response.status_code == 200
    assert 'value="ALP-TENT-2P"' in response.text
    assert 'alt="Tent pitched on a ridge"' in response.text
    assert 'id="variants-group"' in response.text
    assert 'id="images-group"' in response.text


def test_a_file_that_is_not_an_image_gets_a_form_error(staff_client, merchant_a):
    category = CategoryFactory()
    text = SimpleUploadedFile("notes.png", b"this is not a picture", content_type="image/png")
    data = product_form(
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
    data = product_form(
        merchant=merchant_a,
        category=CategoryFactory(),
        images=[{"upload": png(size=(60, 40)), "alt_text": "Too big", "position": "0"}],
    )

    response = staff_client.post(ADD, data)

    assert response.status_code == 200
    assert "too many pixels" in response.text
    assert not ProductImage.objects.exists()


def test_a_new_image_needs_alt_text(staff_client, merchant_a):
    data = product_form(
        merchant=merchant_a,
        category=CategoryFactory(),
        images=[{"upload": png(), "alt_text": "", "position": "0"}],
    )

    response = staff_client.post(ADD, data)

    assert response.status_code == 200
    image_form = response.context["inline_admin_formsets"][1].formset.forms[0]
    assert "alt_text" in image_form.errors
    assert not Product.objects.exists()


def test_a_compare_at_price_below_the_price_is_a_form_error(staff_client, merchant_a):
    data = product_form(
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
    data = product_form(
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
        response = staff_client.post(change_url(product), data)

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

    # the session with its user, user permissions, group permissions, their merchant count (for the
    # merchant column), category filter, filtered count, full count, products (merchant,
    # category, price and stock as subqueries), date hierarchy range and its days, brand filter.
    with django_assert_num_queries(11):
        assert staff_client.get(CHANGELIST).status_code == 200


@pytest.mark.parametrize("n", [10, 100])
def test_operator_changelist_queries_do_not_grow_with_products(
    operator_client, django_assert_num_queries, n
):
    merchants = MerchantFactory.create_batch(3)
    for index in range(n):
        ProductFactory(merchant=merchants[index % 3], with_variants=2)

    # the session with its user, category filter, merchant filter, filtered count, full count,
    # products, date hierarchy range and its days, brand filter (a superuser needs no permission
    # rows).
    with django_assert_num_queries(9):
        assert operator_client.get(CHANGELIST).status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_change_page_queries_do_not_grow_with_variants_and_images(
    staff_client, merchant_a, django_assert_num_queries, n
):
    product = ProductFactory(merchant=merchant_a, with_variants=n, with_images=n)
    ContentType.objects.clear_cache()  # the count must not depend on the tests run before

    # the session with its user, product, user permissions, group permissions, merchant preset,
    # variants (with their product), images, content type (for "view on site"), merchant choices,
    # category choices.
    with django_assert_num_queries(10):
        assert staff_client.get(change_url(product)).status_code == 200


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
    with django_assert_num_queries(11):
        response = staff_client.get(CHANGELIST)

    assert response.content.decode().count('<img src="/media/catalog/') == min(n, 50)
