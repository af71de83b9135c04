"""'Buy this gift': a friend who claimed a wish buys it shipped to the list's gift address,
which they never see (the order, its pages, emails, API and export say "Ana’s registry
address"); the merchant ships to the real address."""

import json

import pytest
from django.core import mail

from gifting.wishlists import services
from gifting.wishlists.models import Claim
from shop.core.personal_data import personal_data_export
from shop.orders import tasks as order_tasks
from shop.orders.models import Order
from tests.factories import (
    AddressFactory,
    ShippingMethodFactory,
    UserFactory,
    friends_make,
)
from tests.gifting.wishlists.helpers import wish_make

pytestmark = pytest.mark.django_db

SECRET_LINE = "7 Hidden Lane"


@pytest.fixture
def people():
    ana, ben, chloe = (
        UserFactory(username=n, display_name=n.title()) for n in ("ana", "ben", "chloe")
    )
    friends_make(ana, ben, chloe)
    return ana, ben, chloe


@pytest.fixture
def standard():
    return ShippingMethodFactory()


@pytest.fixture
def item(people):
    ana, _, _ = people
    address = AddressFactory(user=ana, full_name="Ana Secret", line1=SECRET_LINE)
    return wish_make(ana, wanted=2, shipping_address=address)


def _as(client, user):
    client.force_login(user)
    return client


def _claim_and_buy(client, ben, item, quantity=1):
    claim = services.claim_create(item=item, claimer=ben, quantity=quantity)
    response = _as(client, ben).post(f"/wishlists/{item.wishlist.token}/claims/{claim.pk}/buy/")
    return claim, response


def _checkout(client, key, method):
    client.post("/checkout/", {"address_choice": key, "shipping_method": str(method.pk)})
    return client.post("/checkout/review/")


def test_the_owner_chooses_where_gifts_go_among_their_addresses(client, people):
    ana, ben, _ = people
    wishlist = wish_make(ana).wishlist
    mine, bens = AddressFactory(user=ana), AddressFactory(user=ben)
    _as(client, ana)
    fields = {"title": "Birthday", "visibility": "friends", "occasion_on": ""}

    page = client.get(f"/wishlists/{wishlist.token}/").content.decode()
    client.post(f"/wishlists/{wishlist.token}/edit/", {**fields, "shipping_address": mine.pk})
    wishlist.refresh_from_db()
    refused = client.post(
        f"/wishlists/{wishlist.token}/edit/", {**fields, "shipping_address": bens.pk}
    )

    assert "Friends may send gifts to" in page and mine.line1 in page
    assert wishlist.shipping_address == mine
    wishlist.refresh_from_db()
    assert refused.status_code == 302 and wishlist.shipping_address == mine


def test_buy_this_gift_fills_the_cart_once_and_offers_the_hidden_address(
    client, people, item, standard
):
    _, ben, _ = people

    claim, response = _claim_and_buy(client, ben, item, quantity=2)
    client.post(f"/wishlists/{item.wishlist.token}/claims/{claim.pk}/buy/")
    page = client.get("/checkout/").content.decode()

    assert response.status_code == 302 and response["Location"] == "/checkout/"
    cart = client.get("/api/v1/cart").json()
    assert [line["quantity"] for line in cart["lines"]] == [2]
    assert "Ana’s registry address" in page and "the address stays private" in page
    assert SECRET_LINE not in page and "Ana Secret" not in page
    # Picked for them: the gift goes to Ana unless they choose otherwise.
    assert 'value="wishlist:' in page and "checked" in page.split('value="wishlist:')[1][:80]


def test_the_order_goes_to_the_real_address_and_the_buyer_reads_only_the_label(
    client, people, item, standard, django_capture_on_commit_callbacks
):
    _, ben, _ = people
    _claim_and_buy(client, ben, item)
    key = f"wishlist:{item.wishlist.pk}"

    client.post("/checkout/", {"address_choice": key, "shipping_method": str(standard.pk)})
    review = client.get("/checkout/review/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        placed = client.post("/checkout/review/")
    order = Order.objects.get()
    order_tasks.order_placed_notify.delay(order_id=order.pk)
    detail = client.get(order.get_absolute_url()).content.decode()
    api = client.get(f"/api/v1/orders/{order.number}").json()
    exported = json.dumps(personal_data_export(user=ben))

    assert placed.status_code == 302
    assert (order.ship_line1, order.ship_full_name) == (SECRET_LINE, "Ana Secret")
    assert order.ship_to_label == "Ana’s registry address"
    for seen in (review, detail, exported, json.dumps(api)):
        assert "Ana’s registry address" in seen or "Ana\\u2019s registry address" in seen
        assert SECRET_LINE not in seen and "Ana Secret" not in seen
    assert api["shipping_address"]["hidden"] is True
    mails = [m for m in mail.outbox if order.number in m.subject or order.number in m.body]
    assert mails and all(SECRET_LINE not in m.body and "Ana Secret" not in m.body for m in mails)
    # Ben's address book did not get Ana's address.
    assert not ben.addresses.exists()


def test_the_merchant_sees_the_real_address(client, people, item, standard):
    _, ben, _ = people
    _claim_and_buy(client, ben, item)
    _checkout(client, f"wishlist:{item.wishlist.pk}", standard)
    order = Order.objects.get()
    root = UserFactory(is_staff=True, is_superuser=True)

    page = _as(client, root).get(f"/admin/orders/order/{order.pk}/change/").content.decode()

    assert SECRET_LINE in page and "Ana’s registry address" in page


def test_paying_marks_the_claim_purchased(
    client, people, item, standard, django_capture_on_commit_callbacks
):
    from tests.factories import GOOD_CARD

    _, ben, _ = people
    claim, _ = _claim_and_buy(client, ben, item)
    _checkout(client, f"wishlist:{item.wishlist.pk}", standard)
    order = Order.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/orders/{order.number}/pay/",
            {"card_number": GOOD_CARD, "expiry": "12/40", "cvc": "123", "name": "Ben"},
        )

    claim.refresh_from_db()
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert claim.status == Claim.Status.PURCHASED and claim.order_id == order.pk


def test_without_a_claim_the_address_is_not_offered_even_if_asked_for(
    client, people, item, standard
):
    _, _, chloe = people
    from tests.factories import ProductFactory

    _as(client, chloe)
    client.post("/cart/add/", {"variant": ProductFactory().variants.get().pk})
    response = client.post(
        "/checkout/",
        {"address_choice": f"wishlist:{item.wishlist.pk}", "shipping_method": str(standard.pk)},
    )

    assert response.status_code == 200
    assert "Ana’s registry address" not in response.content.decode()
    assert not Order.objects.exists()


def test_a_claim_released_before_placing_sends_the_buyer_back_to_choose(
    client, people, item, standard
):
    _, ben, _ = people
    claim, _ = _claim_and_buy(client, ben, item)
    client.post(
        "/checkout/",
        {"address_choice": f"wishlist:{item.wishlist.pk}", "shipping_method": str(standard.pk)},
    )
    services.claim_release(claim=claim, by=ben)

    response = client.post("/checkout/review/")

    assert response.status_code == 302 and response["Location"] == "/checkout/"
    assert not Order.objects.exists()


def test_the_api_ships_a_claimed_gift_to_the_lists_address(client, people, item, standard):
    ana, ben, _ = people
    services.claim_create(item=item, claimer=ben)
    _as(client, ben)
    seen = client.get(f"/api/v1/wishlists/{item.wishlist.pk}").json()
    client.post("/api/v1/cart/items", {"variant": item.variant_id}, content_type="application/json")

    response = client.post(
        "/api/v1/checkout",
        {"ship_to": seen["ship_to"], "shipping_method": standard.pk},
        content_type="application/json",
    )

    assert "shipping_address" not in seen  # Ana's address book is hers
    assert response.status_code == 201, response.content
    assert response.json()["shipping_address"]["label"] == "Ana’s registry address"
    assert response.json()["shipping_address"]["line1"] == ""
    assert Order.objects.get().ship_line1 == SECRET_LINE
    owner_view = _as(client, ana).get(f"/api/v1/wishlists/{item.wishlist.pk}").json()
    assert owner_view["shipping_address"] == item.wishlist.shipping_address_id


def test_the_api_refuses_a_destination_without_a_claim_naming_the_field(
    client, people, item, standard
):
    _, _, chloe = people
    _as(client, chloe)
    client.post("/api/v1/cart/items", {"variant": item.variant_id}, content_type="application/json")

    response = client.post(
        "/api/v1/checkout",
        {"ship_to": f"wishlist:{item.wishlist.pk}", "shipping_method": standard.pk},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "ship_to" in json.dumps(response.json())
    assert not Order.objects.exists()


def test_the_api_sets_the_gift_address_among_the_owners_only(client, people):
    ana, ben, _ = people
    wishlist = wish_make(ana).wishlist
    mine, bens = AddressFactory(user=ana), AddressFactory(user=ben)
    _as(client, ana)

    ok = client.patch(
        f"/api/v1/wishlists/{wishlist.pk}",
        {"title": "Birthday", "shipping_address": mine.pk},
        content_type="application/json",
    )
    refused = client.patch(
        f"/api/v1/wishlists/{wishlist.pk}",
        {"title": "Birthday", "shipping_address": bens.pk},
        content_type="application/json",
    )

    assert ok.status_code == 200 and ok.json()["shipping_address"] == mine.pk
    assert refused.status_code == 400 and "shipping_address" in json.dumps(refused.json())


def test_a_gift_to_the_hidden_address_is_in_no_feed_and_no_bought_by(
    client, people, item, standard, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from shop.orders.models import Order as PlacedOrder
    from tests.factories import GOOD_CARD, ProductFactory, privacy_set

    ana, ben, _ = people
    ana.last_login = timezone.now()
    ana.save(update_fields=["last_login"])
    privacy_set(ben, purchases="friends")
    _claim_and_buy(client, ben, item)
    # And something for himself, in another order: that one his friends may see.
    other = ProductFactory(title="Camp Stove")
    for key, extra in ((f"wishlist:{item.wishlist.pk}", None), ("new", other)):
        if extra is not None:
            client.post("/cart/add/", {"variant": extra.variants.get().pk})
            AddressFactory(user=ben)
            key = str(ben.addresses.get().pk)
        client.post("/checkout/", {"address_choice": key, "shipping_method": str(standard.pk)})
        client.post("/checkout/review/")
        order = PlacedOrder.objects.latest("created_at")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                f"/orders/{order.number}/pay/",
                {"card_number": GOOD_CARD, "expiry": "12/40", "cvc": "123"},
            )

    client.force_login(ana)
    feed = client.get("/feed/").content.decode()
    product_page = client.get(item.variant.product.get_absolute_url()).content.decode()

    assert PlacedOrder.objects.filter(status="paid").count() == 2
    assert "Camp Stove" in feed  # Ben's own purchase: shared with friends
    assert "Matrix Jacket" not in feed  # the gift: a surprise
    assert "Bought by" not in product_page
