import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from shop.catalog import events, selectors, services
from shop.catalog.errors import CatalogError
from shop.catalog.models import Merchant, Product, ProductImage, Variant
from shop.core.errors import DomainError
from shop.core.images import PRODUCT_IMAGE, image_verify
from tests.factories import (
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant_a():
    return MerchantFactory(name="Alpha Outdoor")


@pytest.fixture
def merchant_b():
    return MerchantFactory(name="Beta Home")


@pytest.fixture
def staff_a(merchant_a):
    user = UserFactory()
    services.merchant_staff_add(merchant=merchant_a, user=user)
    return user


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("photo.png", image_bytes(size=(40, 30)), content_type="image/png")


# --- merchant access ------------------------------------------------------------------------


def test_staff_cannot_save_a_product_for_another_merchant(staff_a, merchant_a, merchant_b):
    product = ProductFactory.build(merchant=merchant_b, category=ProductFactory().category)

    with pytest.raises(DomainError) as error:
        services.product_save(product=product, by=staff_a)

    assert error.value.code == CatalogError.NOT_YOUR_MERCHANT
    assert error.value.field == "merchant"
    assert not Product.objects.filter(slug=product.slug).exists()


def test_staff_cannot_move_another_merchants_product_into_their_own(
    staff_a, merchant_a, merchant_b
):
    product = ProductFactory(merchant=merchant_b, title="Theirs")
    product.merchant = merchant_a
    product.title = "Mine now"

    with pytest.raises(DomainError) as error:
        services.product_save(product=product, by=staff_a)

    assert error.value.code == CatalogError.NOT_YOUR_MERCHANT
    product.refresh_from_db()
    assert (product.merchant, product.title) == (merchant_b, "Theirs")


def test_staff_saves_their_own_merchants_product(staff_a, merchant_a):
    product = ProductFactory(merchant=merchant_a)
    product.title = "Renamed"

    services.product_save(product=product, by=staff_a)

    product.refresh_from_db()
    assert product.title == "Renamed"


def test_superuser_saves_any_merchants_product(merchant_b):
    operator = UserFactory(is_superuser=True, is_staff=True)
    product = ProductFactory(merchant=merchant_b)
    product.title = "Fixed by the operator"

    services.product_save(product=product, by=operator)

    product.refresh_from_db()
    assert product.title == "Fixed by the operator"


def test_staff_cannot_change_stock_of_another_merchants_variant(staff_a, merchant_b):
    variant = VariantFactory(product=ProductFactory(merchant=merchant_b, with_variants=0), stock=3)
    variant.stock = 99

    with pytest.raises(DomainError) as error:
        services.variant_save(variant=variant, by=staff_a)

    assert error.value.code == CatalogError.NOT_YOUR_MERCHANT
    variant.refresh_from_db()
    assert variant.stock == 3


def test_staff_cannot_add_an_image_to_another_merchants_product(staff_a, merchant_b):
    product = ProductFactory(merchant=merchant_b)

    with pytest.raises(DomainError) as error:
        services.product_image_add(
            product=product,
            image=image_verify(_upload(), profile=PRODUCT_IMAGE),
            alt_text="A photo",
            by=staff_a,
        )

    assert error.value.code == CatalogError.NOT_YOUR_MERCHANT
    assert not ProductImage.objects.exists()


def test_product_image_add_stores_a_reencoded_picture_and_thumbnail(staff_a, merchant_a):
    product = ProductFactory(merchant=merchant_a)

    image = services.product_image_add(
        product=product,
        image=image_verify(_upload(), profile=PRODUCT_IMAGE),
        alt_text="Front view",
        by=staff_a,
    )

    assert image.image.name.endswith(".webp")
    assert image.thumbnail.name.endswith(".webp")
    assert "photo" not in image.image.name
    assert (image.width, image.height) == (40, 30)


@pytest.mark.parametrize(
    ("size", "display", "display_2x"),
    [((1400, 1050), (640, 480), (1280, 960)), ((800, 600), (640, 480), (800, 600))]
    + [((500, 400), (500, 400), None)],
)
def test_product_image_add_makes_the_page_picture_at_1x_and_2x(size, display, display_2x):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    upload = SimpleUploadedFile("photo.png", image_bytes(size=size), content_type="image/png")

    image = services.product_image_add(
        product=ProductFactory(),
        image=image_verify(upload, profile=PRODUCT_IMAGE),
        alt_text="Front view",
    )

    assert Image.open(image.display).size == display
    if display_2x is None:  # no larger than the 1x: no 2x
        assert not image.display_2x
    else:
        assert Image.open(image.display_2x).size == display_2x
    assert Image.open(image.thumbnail).size == tuple(
        round(side * min(1, services.THUMBNAIL_SIZE / max(size))) for side in size
    )


def test_staff_cannot_delete_other_merchants_products(staff_a, merchant_a, merchant_b):
    ProductFactory(merchant=merchant_a)
    ProductFactory(merchant=merchant_b)

    with pytest.raises(DomainError) as error:
        services.product_delete_many(products=Product.objects.all(), by=staff_a)

    assert error.value.code == CatalogError.NOT_YOUR_MERCHANT
    assert Product.objects.count() == 2


def test_staff_cannot_create_a_merchant(staff_a):
    with pytest.raises(DomainError) as error:
        services.merchant_save(merchant=Merchant(name="Pirate", slug="pirate"), by=staff_a)

    assert error.value.code == CatalogError.NOT_YOUR_MERCHANT
    assert not Merchant.objects.filter(slug="pirate").exists()


def test_staff_cannot_edit_another_merchant(staff_a, merchant_b):
    merchant_b.name = "Hijacked"

    with pytest.raises(DomainError) as error:
        services.merchant_save(merchant=merchant_b, by=staff_a)

    assert error.value.code == CatalogError.NOT_YOUR_MERCHANT
    merchant_b.refresh_from_db()
    assert merchant_b.name == "Beta Home"


# --- publishing -----------------------------------------------------------------------------


def test_product_publish_counts_only_products_that_changed(merchant_a):
    ProductFactory.create_batch(2, merchant=merchant_a, is_published=False)
    ProductFactory(merchant=merchant_a, is_published=True)

    count = services.product_publish(products=Product.objects.all(), published=True)

    assert count == 2
    assert Product.objects.filter(is_published=True).count() == 3


def test_product_unpublish_counts_only_products_that_changed(merchant_a):
    ProductFactory.create_batch(3, merchant=merchant_a, is_published=True)
    ProductFactory(merchant=merchant_a, is_published=False)

    count = services.product_publish(products=Product.objects.all(), published=False)

    assert count == 3
    assert not Product.objects.filter(is_published=True).exists()


def test_staff_cannot_publish_another_merchants_products(staff_a, merchant_a, merchant_b):
    ProductFactory(merchant=merchant_a, is_published=False)
    ProductFactory(merchant=merchant_b, is_published=False)

    with pytest.raises(DomainError) as error:
        services.product_publish(products=Product.objects.all(), published=True, by=staff_a)

    assert error.value.code == CatalogError.NOT_YOUR_MERCHANT
    assert not Product.objects.filter(is_published=True).exists()


def test_product_publish_sends_published_event_on_commit(
    merchant_a, django_capture_on_commit_callbacks
):
    product = ProductFactory(merchant=merchant_a, is_published=False)
    received = []

    def receiver(sender, product_id, **kwargs):
        received.append(product_id)

    events.product_published.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.product_publish(products=Product.objects.all(), published=True)
    finally:
        events.product_published.disconnect(receiver)

    assert received == [product.pk]


# --- the catalogue version ------------------------------------------------------------------


def test_product_save_bumps_catalogue_version_on_commit(
    merchant_a, django_capture_on_commit_callbacks
):
    product = ProductFactory(merchant=merchant_a)
    before = selectors.catalog_version()
    product.title = "New title"

    with django_capture_on_commit_callbacks(execute=True):
        services.product_save(product=product)

    assert selectors.catalog_version() == before + 1


def test_publish_bumps_catalogue_version_on_commit(merchant_a, django_capture_on_commit_callbacks):
    ProductFactory(merchant=merchant_a, is_published=False)
    before = selectors.catalog_version()

    with django_capture_on_commit_callbacks(execute=True):
        services.product_publish(products=Product.objects.all(), published=True)

    assert selectors.catalog_version() > before


def test_catalogue_version_is_not_bumped_when_the_write_rolls_back(
    merchant_a, django_capture_on_commit_callbacks
):
    product = ProductFactory(merchant=merchant_a, title="Before")
    before = selectors.catalog_version()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        product.title = "Rolled back"
        services.product_save(product=product)
        raise RuntimeError("something later in the same transaction failed")

    assert callbacks == []
    assert selectors.catalog_version() == before
    product.refresh_from_db()
    assert product.title == "Before"


def test_variant_stock_change_bumps_catalogue_version(
    merchant_a, staff_a, django_capture_on_commit_callbacks
):
    variant = VariantFactory(product=ProductFactory(merchant=merchant_a, with_variants=0))
    before = selectors.catalog_version()
    variant.stock = 0

    with django_capture_on_commit_callbacks(execute=True):
        services.variant_save(variant=variant, by=staff_a)

    assert selectors.catalog_version() == before + 1
    assert Variant.objects.get(pk=variant.pk).stock == 0


# --- merchant staff -------------------------------------------------------------------------


def test_merchant_staff_add_makes_the_user_staff_in_the_group(merchant_a):
    user = UserFactory(is_staff=False)

    services.merchant_staff_add(merchant=merchant_a, user=user)

    user.refresh_from_db()
    assert user.is_staff
    assert user.groups.filter(name=services.MERCHANT_STAFF_GROUP).exists()
    assert list(selectors.merchants_of_user(user=user)) == [merchant_a]
    assert user.has_perm("catalog.change_product")
    assert user.has_perm("catalog.view_category")
    assert not user.has_perm("catalog.change_category")


def test_merchant_staff_add_restores_a_missing_group(merchant_a):
    Group.objects.filter(name=services.MERCHANT_STAFF_GROUP).delete()
    user = UserFactory()

    services.merchant_staff_add(merchant=merchant_a, user=user)

    group = Group.objects.get(name=services.MERCHANT_STAFF_GROUP)
    assert group.permissions.filter(codename="change_variant").exists()
    assert user.has_perm("catalog.change_variant")


def test_merchant_staff_add_twice_changes_nothing(merchant_a, staff_a):
    with CaptureQueriesContext(connection) as queries:
        services.merchant_staff_add(merchant=merchant_a, user=staff_a)

    # The m2m adds may be "INSERT OR IGNORE" no-ops; the user row is not rewritten.
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert merchant_a.staff.count() == 1
    assert staff_a.groups.count() == 1


def test_merchant_staff_remove_leaves_the_group_with_the_last_merchant(merchant_a, staff_a):
    services.merchant_staff_remove(merchant=merchant_a, user=staff_a)

    assert not staff_a.groups.filter(name=services.MERCHANT_STAFF_GROUP).exists()
    assert not selectors.merchants_of_user(user=staff_a).exists()


def test_merchant_staff_set_adds_and_removes(merchant_a, staff_a):
    newcomer = UserFactory(is_staff=False)

    services.merchant_staff_set(merchant=merchant_a, users=[newcomer])

    assert list(merchant_a.staff.all()) == [newcomer]
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert not staff_a.groups.exists()


# --- categories -----------------------------------------------------------------------------


def test_a_category_cannot_be_moved_under_its_own_subcategory():
    top = CategoryFactory(slug="home")
    middle = CategoryFactory(slug="lighting", parent=top)
    bottom = CategoryFactory(slug="lamps", parent=middle)
    for parent in (top, bottom):
        top.parent = parent
        with pytest.raises(DomainError) as caught:
            services.category_save(category=top)
        assert caught.value.code == CatalogError.CATEGORY_LOOP
        assert caught.value.field == "parent"
    top.refresh_from_db()
    assert top.parent_id is None


def test_a_category_moves_under_another_branch():
    home = CategoryFactory(slug="home")
    garden = CategoryFactory(slug="garden")
    lamps = CategoryFactory(slug="lamps", parent=home)
    lamps.parent = garden
    services.category_save(category=lamps)
    lamps.refresh_from_db()
    assert lamps.parent_id == garden.pk
