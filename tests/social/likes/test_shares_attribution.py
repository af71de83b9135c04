"""Visits and orders through a share link, for the merchant's analytics: the checkout copies
the session's opaque attribution onto the order (shop.orders.attribution), and the paid
order is recorded on the visit it came through, once."""

import pytest
from django.test import Client
from django.utils import timezone

from shop.orders import services as orders
from shop.orders.events import order_paid
from shop.orders.models import Order
from social.likes import share_services
from social.likes.models import Share, ShareVisit
from tests.factories import (
    ADDRESS,
    GOOD_CARD,
    CartFactory,
    CartLineFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
    guest_cart_use,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    product = ProductFactory(title="Trail Jacket", slug="trail-jacket", with_variants=0)
    VariantFactory(product=product, price=5000, stock=10)
    return product


@pytest.fixture
def share(product):
    ana = UserFactory(username="ana", last_login=timezone.now())
    return share_services.share_create(sharer=ana, product=product, channel="link")


def _checkout(client, product, method, *, user=None) -> Order:
    cart = CartFactory(user=user)
    CartLineFactory(cart=cart, variant=product.variants.get(), quantity=1)
    if user is None:
        guest_cart_use(client, cart)
    data = {"email": "guest@example.com", **ADDRESS, "shipping_method": str(method.pk)}
    assert client.post("/checkout/", data).status_code == 302
    assert client.post("/checkout/review/").status_code == 302
    return Order.objects.latest("pk")


def _pay(order, capture, settings):
    settings.PAYMENT_GATEWAY = "fake"
    with capture(execute=True):
        orders.order_pay(order=order, payment_method=GOOD_CARD)


def test_an_order_placed_after_a_share_visit_is_counted_on_the_share_once_paid(
    client, share, product, standard, django_capture_on_commit_callbacks, settings
):
    client.get(f"/products/trail-jacket/?s={share.token}")
    visit = ShareVisit.objects.get()

    order = _checkout(client, product, standard)
    assert order.attribution == f"share:{share.token}:{visit.pk}"
    share.refresh_from_db()
    assert share.order_count == 0  # placed, not paid: not yet an order for the analytics

    _pay(order, django_capture_on_commit_callbacks, settings)

    visit.refresh_from_db()
    share.refresh_from_db()
    assert visit.order_id == order.pk
    assert (share.visit_count, share.order_count) == (1, 1)


def test_the_paid_event_delivered_twice_counts_the_order_once(
    client, share, product, standard, django_capture_on_commit_callbacks, settings
):
    client.get(f"/products/trail-jacket/?s={share.token}")
    order = _checkout(client, product, standard)
    _pay(order, django_capture_on_commit_callbacks, settings)

    order_paid.send_robust(sender=None, event_id=1, order_id=order.pk, number=order.number)

    share.refresh_from_db()
    assert share.order_count == 1


def test_a_second_order_of_the_same_visit_is_not_counted_again(
    client, share, product, standard, django_capture_on_commit_callbacks, settings
):
    client.get(f"/products/trail-jacket/?s={share.token}")
    first = _checkout(client, product, standard)
    _pay(first, django_capture_on_commit_callbacks, settings)
    second = _checkout(client, product, standard)
    _pay(second, django_capture_on_commit_callbacks, settings)

    share.refresh_from_db()
    assert share.order_count == 1
    assert ShareVisit.objects.get().order_id == first.pk


def test_an_order_without_a_share_visit_has_no_attribution_and_counts_nothing(
    client, share, product, standard, django_capture_on_commit_callbacks, settings
):
    order = _checkout(client, product, standard)
    _pay(order, django_capture_on_commit_callbacks, settings)

    assert order.attribution == ""
    assert Share.objects.get().order_count == 0


def test_a_visit_with_an_unknown_token_leads_to_an_order_that_counts_nothing(
    client, share, product, standard, django_capture_on_commit_callbacks, settings
):
    client.get("/products/trail-jacket/?s=not-a-real-token")
    order = _checkout(client, product, standard)
    _pay(order, django_capture_on_commit_callbacks, settings)

    assert order.attribution == ""
    assert not ShareVisit.objects.exists()
    assert Share.objects.get().order_count == 0


def test_the_attribution_survives_signing_in_before_the_checkout(client, share, product, standard):
    client.get(f"/products/trail-jacket/?s={share.token}")
    ben = UserFactory(username="ben", email="ben@example.com")
    client.force_login(ben)  # the session key changes; its data stays

    order = _checkout(client, product, standard, user=ben)

    assert order.customer == ben
    assert order.attribution.startswith(f"share:{share.token}:")


@pytest.mark.parametrize(
    "attribution",
    [
        "",
        "share",
        "share::",
        "share:nope:1",
        "other:abc:1",
        "share:tok:x",
        "share:tok:99999",
        "share:tok:" + "9" * 30,
    ],
)
def test_a_malformed_or_unknown_attribution_records_nothing(share, attribution):
    attribution = attribution.replace(":tok:", f":{share.token}:")

    assert share_services.share_order_record(order_id=1, attribution=attribution) is False


def test_the_api_checkout_copies_the_attribution_too(share, product, standard):
    client = Client()
    client.get(f"/products/trail-jacket/?s={share.token}")
    cart = CartFactory()
    CartLineFactory(cart=cart, variant=product.variants.get(), quantity=1)
    guest_cart_use(client, cart)
    data = {"email": "guest@example.com", **ADDRESS, "shipping_method": standard.pk}

    response = client.post("/api/v1/checkout", data, content_type="application/json")

    assert response.status_code == 201, response.content
    order = Order.objects.get()
    assert order.attribution == f"share:{share.token}:{ShareVisit.objects.get().pk}"
