"""The catalogue's variant events, sent once the change commits, from every path that changes a
variant's price or stock: a price that went down (variant_price_dropped), stock that came back
from none (variant_back_in_stock); the merchant's admin (a variant's page, the product's
variants table, the stock column of the variants list), and orders cancelled or expired."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shop.catalog import events, services
from shop.catalog.models import Variant
from shop.orders import services as order_services
from tests.factories import ProductFactory, VariantFactory, cart_make, variant_make
from tests.shop.catalog.admin_forms import VARIANT, change_url, product_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


@pytest.fixture
def heard():
    """What the two variant events were sent with, in order: (name, kwargs without signal)."""
    sent: list[tuple[str, dict]] = []

    def receiver_for(name):
        def receive(sender, **kwargs):
            kwargs.pop("signal", None)
            sent.append((name, kwargs))

        return receive

    dropped = receiver_for("dropped")
    back = receiver_for("back")
    events.variant_price_dropped.connect(dropped)
    events.variant_back_in_stock.connect(back)
    yield sent
    events.variant_price_dropped.disconnect(dropped)
    events.variant_back_in_stock.disconnect(back)


def _save(variant: Variant, capture, **changes) -> None:
    for name, value in changes.items():
        setattr(variant, name, value)
    with capture(execute=True):
        services.variant_save(variant=variant)


# --- the service -----------------------------------------------------------------------------


def test_a_lower_price_sends_price_dropped_once_committed(
    heard, django_capture_on_commit_callbacks
):
    variant = VariantFactory(price=3000)

    with django_capture_on_commit_callbacks() as callbacks:
        variant.price = 2500
        services.variant_save(variant=variant)
        assert heard == []  # not before the commit
    for callback in callbacks:
        callback()

    assert heard == [("dropped", {"variant_id": variant.pk, "old_price": 3000, "new_price": 2500})]


@pytest.mark.parametrize(
    "changes",
    [{"price": 3500}, {"price": 3000, "name": "Renamed"}, {"compare_at_price": 4000}],
    ids=["higher", "same", "compare-at"],
)
def test_a_price_not_lowered_sends_nothing(heard, django_capture_on_commit_callbacks, changes):
    variant = VariantFactory(price=3000)

    _save(variant, django_capture_on_commit_callbacks, **changes)

    assert heard == []


def test_stock_from_none_to_some_sends_back_in_stock(heard, django_capture_on_commit_callbacks):
    variant = VariantFactory(stock=0)

    _save(variant, django_capture_on_commit_callbacks, stock=4)

    assert heard == [("back", {"variant_id": variant.pk})]


@pytest.mark.parametrize(("before", "after"), [(2, 6), (3, 0), (0, 0)])
def test_stock_that_was_not_out_sends_nothing(
    heard, django_capture_on_commit_callbacks, before, after
):
    variant = VariantFactory(stock=before)

    _save(variant, django_capture_on_commit_callbacks, stock=after)

    assert heard == []


def test_a_new_variant_sends_nothing(heard, django_capture_on_commit_callbacks):
    product = ProductFactory(with_variants=0)

    with django_capture_on_commit_callbacks(execute=True):
        services.variant_save(variant=Variant(product=product, sku="NEW-1", price=100, stock=5))

    assert heard == []


def test_a_cheaper_restocked_variant_sends_both(heard, django_capture_on_commit_callbacks):
    variant = VariantFactory(price=3000, stock=0)

    _save(variant, django_capture_on_commit_callbacks, price=2000, stock=1)

    assert sorted(name for name, _ in heard) == ["back", "dropped"]


def test_a_rolled_back_price_drop_sends_nothing(heard, django_capture_on_commit_callbacks):
    variant = VariantFactory(price=3000)

    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                variant.price = 100
                services.variant_save(variant=variant)
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass

    assert callbacks == [] and heard == []


# --- the merchant's admin --------------------------------------------------------------------


def _variant_page_data(variant: Variant, **changes) -> dict:
    data = {
        "sku": variant.sku,
        "name": variant.name,
        "options-name": ["size"],
        "options-value": ["M"],
        "price": "30.00",
        "compare_at_price": "",
        "stock": variant.stock,
        "position": 0,
    }
    return {**data, **changes}


def test_staff_lowering_a_price_on_the_variants_page_sends_price_dropped(
    staff_client, merchant_a, heard, django_capture_on_commit_callbacks
):
    product = ProductFactory(merchant=merchant_a, with_variants=0)
    variant = VariantFactory(product=product, price=3000)
    url = reverse("admin:catalog_variant_change", args=[variant.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, _variant_page_data(variant, price="24.50"))

    assert response.status_code == 302
    assert heard == [("dropped", {"variant_id": variant.pk, "old_price": 3000, "new_price": 2450})]


def test_staff_lowering_a_price_in_the_products_variants_table_sends_price_dropped(
    staff_client, merchant_a, heard, django_capture_on_commit_callbacks
):
    product = ProductFactory(merchant=merchant_a, with_variants=0, slug="trail-runner")
    variant = VariantFactory(product=product, sku="TR-42", price=8900, stock=0)
    data = product_form(
        merchant=merchant_a,
        category=product.category,
        variants=[{**VARIANT, "id": variant.pk, "product": product.pk, "price": "79.00"}],
    )
    data["variants-INITIAL_FORMS"] = 1

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(change_url(product), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert sorted(heard, key=lambda event: event[0]) == [
        ("back", {"variant_id": variant.pk}),  # VARIANT has 7 in stock
        ("dropped", {"variant_id": variant.pk, "old_price": 8900, "new_price": 7900}),
    ]


def test_staff_restocking_in_the_variants_list_sends_back_in_stock(
    staff_client, merchant_a, heard, django_capture_on_commit_callbacks
):
    variant = VariantFactory(product=ProductFactory(merchant=merchant_a, with_variants=0), stock=0)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/admin/catalog/variant/",
            {
                "form-TOTAL_FORMS": 1,
                "form-INITIAL_FORMS": 1,
                "form-MIN_NUM_FORMS": 0,
                "form-MAX_NUM_FORMS": 1000,
                "form-0-id": variant.pk,
                "form-0-stock": 12,
                "_save": "Save",
            },
        )

    assert response.status_code == 302
    assert heard == [("back", {"variant_id": variant.pk})]


# --- orders giving stock back ----------------------------------------------------------------


def test_cancelling_an_order_of_the_last_units_sends_back_in_stock(
    place, heard, django_capture_on_commit_callbacks
):
    lamp, mug = variant_make(stock=2), variant_make(stock=5)
    order = place(cart_make((lamp, 2), (mug, 1)))
    heard.clear()

    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_cancel(order=order, by=None)

    assert heard == [("back", {"variant_id": lamp.pk})]  # the mug was never out


def test_an_expired_order_of_the_last_unit_sends_back_in_stock(
    place, heard, django_capture_on_commit_callbacks
):
    lamp = variant_make(stock=1)
    place(cart_make((lamp, 1)))
    heard.clear()

    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_expire_unpaid(now=timezone.now() + timedelta(minutes=31))

    assert heard == [("back", {"variant_id": lamp.pk})]


def test_taking_the_last_unit_sends_nothing(place, heard, django_capture_on_commit_callbacks):
    lamp = variant_make(stock=1)

    with django_capture_on_commit_callbacks(execute=True):
        place(cart_make((lamp, 1)))

    assert heard == []
