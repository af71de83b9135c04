"""Orders in admin: merchant staff see and handle only their own lines; the operator all."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.test import Client

from shop.catalog.services import merchant_staff_add
from shop.orders import services
from shop.orders.models import Fulfilment, Order, OrderRefund, ShippingMethod
from tests.factories import (
    DiscountCodeFactory,
    MerchantFactory,
    UserFactory,
    cart_make,
    variant_make,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/orders/order/"


@pytest.fixture
def lamps():
    return MerchantFactory(name="Lamps")


@pytest.fixture
def mugs():
    return MerchantFactory(name="Mugs")


@pytest.fixture
def alice(lamps):
    """Staff of Lamps."""
    user = UserFactory(username="alice")
    merchant_staff_add(merchant=lamps, user=user)
    return user


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def operator_client(client):
    client.force_login(UserFactory(username="operator", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def mixed_order(paid_order, lamps, mugs):
    """Paid: a €25 lamp from Lamps and two €12 mugs from Mugs."""
    lamp = variant_make(price=2500, merchant=lamps, title="Brass lamp")
    mug = variant_make(price=1200, merchant=mugs, title="Stoneware mug")
    return paid_order(cart_make((lamp, 1), (mug, 2)), email="ada@example.com")


@pytest.fixture
def mugs_only_order(paid_order, mugs):
    return paid_order(cart_make((variant_make(merchant=mugs, title="Tea cup"), 1)))


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _action(client, action: str, orders, **data):
    post = {"action": action, ACTION_CHECKBOX_NAME: [order.pk for order in orders], **data}
    return client.post(CHANGELIST, post, follow=False)


def test_staff_see_only_orders_with_their_lines(alice_client, mixed_order, mugs_only_order):
    response = alice_client.get(CHANGELIST)

    assert response.status_code == 200
    listed = list(response.context["cl"].result_list)
    assert listed == [mixed_order]


def test_staff_see_only_their_lines_of_an_order(alice_client, mixed_order):
    response = alice_client.get(f"{CHANGELIST}{mixed_order.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Brass lamp" in page
    assert "Stoneware mug" not in page
    assert "ada@example.com" in page


def test_staff_cannot_open_an_order_without_their_lines(alice_client, mugs_only_order):
    response = alice_client.get(f"{CHANGELIST}{mugs_only_order.pk}/change/")

    assert response.status_code == 302  # the admin's "doesn't exist" redirect
    assert Order.objects.filter(pk=mugs_only_order.pk).exists()


def test_the_operator_sees_every_order_and_every_line(
    operator_client, mixed_order, mugs_only_order
):
    listed = operator_client.get(CHANGELIST).context["cl"].result_list
    page = operator_client.get(f"{CHANGELIST}{mixed_order.pk}/change/").content.decode()

    assert set(listed) == {mixed_order, mugs_only_order}
    assert "Brass lamp" in page and "Stoneware mug" in page


def test_a_shopper_has_no_order_admin(client, mixed_order):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(CHANGELIST).status_code == 403


def test_orders_can_be_searched_by_email_and_filtered_by_status(
    operator_client, mixed_order, mugs_only_order, place
):
    pending = place(cart_make((variant_make(), 1)), email="zed@example.com")

    by_email = operator_client.get(CHANGELIST, {"q": "zed@example"}).context["cl"].result_list
    by_status = operator_client.get(CHANGELIST, {"status__exact": "paid"}).context["cl"]

    assert list(by_email) == [pending]
    assert set(by_status.result_list) == {mixed_order, mugs_only_order}


@pytest.mark.parametrize("orders", [2, 12])
def test_the_changelist_takes_the_same_queries_for_2_and_12_orders(
    alice_client, lamps, paid_order, django_assert_num_queries, orders
):
    for _ in range(orders):
        paid_order(cart_make((variant_make(merchant=lamps), 1)))

    # the session with its user, the user's and groups' permissions, the count twice (filtered and
    # full), the page, the date hierarchy's range and its days
    with django_assert_num_queries(8):
        response = alice_client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == orders


def test_mark_shipped_asks_for_the_tracking_number_first(alice_client, mixed_order):
    response = _action(alice_client, "mark_shipped", [mixed_order])

    assert response.status_code == 200
    page = response.content.decode()
    assert "Tracking number" in page and mixed_order.number in page
    assert not Fulfilment.objects.exists()


def test_staff_mark_their_lines_shipped_with_a_tracking_number(alice_client, mixed_order, lamps):
    prefix = f"order-{mixed_order.pk}"

    response = _action(
        alice_client,
        "mark_shipped",
        [mixed_order],
        apply="1",
        **{f"{prefix}-tracking_number": "1Z999", f"{prefix}-carrier": "UPS"},
    )

    assert response.status_code == 302
    fulfilment = Fulfilment.objects.get()
    assert (fulfilment.merchant, fulfilment.tracking_number, fulfilment.carrier) == (
        lamps,
        "1Z999",
        "UPS",
    )
    mixed_order.refresh_from_db()
    assert mixed_order.status == Order.Status.PARTIALLY_FULFILLED
    assert any(
        "marked shipped" in message and "1Z999" in message for message in _messages(response)
    )


def test_marking_an_unpaid_order_shipped_says_why_not(alice_client, lamps, place):
    unpaid = place(cart_make((variant_make(merchant=lamps), 1)))
    prefix = f"order-{unpaid.pk}"

    response = _action(
        alice_client, "mark_shipped", [unpaid], apply="1", **{f"{prefix}-tracking_number": "T"}
    )

    assert not Fulfilment.objects.exists()
    assert any("An unpaid order cannot be shipped." in m for m in _messages(response))


def test_staff_refund_up_to_their_own_lines(alice_client, mixed_order):
    prefix = f"order-{mixed_order.pk}"

    too_much = _action(
        alice_client, "refund", [mixed_order], apply="1", **{f"{prefix}-amount": "25.01"}
    )
    done = _action(
        alice_client,
        "refund",
        [mixed_order],
        apply="1",
        **{f"{prefix}-amount": "25", f"{prefix}-reason": "Broken on arrival"},
    )

    assert any("At most €25.00 can be refunded." in m for m in _messages(too_much))
    refund = OrderRefund.objects.get()
    assert (refund.amount, refund.merchant.name, refund.reason) == (
        2500,
        "Lamps",
        "Broken on arrival",
    )
    assert any("refunded €25.00" in m for m in _messages(done))
    mixed_order.refresh_from_db()
    assert mixed_order.amount_refunded == 2500


def test_the_refund_page_shows_what_may_be_refunded(alice_client, mixed_order):
    response = _action(alice_client, "refund", [mixed_order])

    assert response.status_code == 200
    assert "up to €25.00" in response.content.decode()


def test_a_refund_amount_that_is_not_money_is_asked_again(alice_client, mixed_order):
    prefix = f"order-{mixed_order.pk}"

    response = _action(
        alice_client, "refund", [mixed_order], apply="1", **{f"{prefix}-amount": "lots"}
    )

    assert response.status_code == 200
    assert "Enter an amount in euros, e.g. 29.99." in response.content.decode()
    assert not OrderRefund.objects.exists()


def test_the_operator_refunds_the_whole_order(operator_client, mixed_order):
    prefix = f"order-{mixed_order.pk}"
    euros = f"{mixed_order.total // 100}.{mixed_order.total % 100:02d}"

    _action(operator_client, "refund", [mixed_order], apply="1", **{f"{prefix}-amount": euros})

    mixed_order.refresh_from_db()
    assert mixed_order.status == Order.Status.REFUNDED


def test_shipping_methods_are_the_operators_alone(alice):
    staff, operator = Client(), Client()
    staff.force_login(alice)
    operator.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert staff.get("/admin/orders/shippingmethod/").status_code == 403
    assert operator.get("/admin/orders/shippingmethod/").status_code == 200


# --- other merchants' shipments and objects stay out of sight -----------------------------------


@pytest.fixture
def bob(mugs):
    """Staff of Mugs."""
    user = UserFactory(username="bob")
    merchant_staff_add(merchant=mugs, user=user)
    return user


def test_staff_do_not_see_another_merchants_shipment_in_the_history(
    client, alice, bob, mixed_order, mugs
):
    services.order_fulfil(
        order=mixed_order, merchant=mugs, tracking_number="MUG-TRACK-1", carrier="Parcelix", by=bob
    )
    client.force_login(alice)

    page = client.get(f"{CHANGELIST}{mixed_order.pk}/change/").content.decode()

    history = page.split('id="transitions-group"')[1]
    assert "Partly shipped" in history  # the step itself shows
    assert "MUG-TRACK-1" not in page
    assert "Parcelix" not in page
    assert "bob" not in page


def test_the_operator_sees_every_shipment_in_the_history(operator_client, bob, mixed_order, mugs):
    services.order_fulfil(
        order=mixed_order, merchant=mugs, tracking_number="MUG-TRACK-1", carrier="Parcelix", by=bob
    )

    page = operator_client.get(f"{CHANGELIST}{mixed_order.pk}/change/").content.decode()

    assert "Mugs shipped: Parcelix MUG-TRACK-1" in page


def _view_on_site(client, obj):
    content_type = ContentType.objects.get_for_model(obj)
    return client.get(f"/admin/r/{content_type.pk}/{obj.pk}/")


def test_view_on_site_does_not_lead_staff_to_another_merchants_order(alice_client, mugs_only_order):
    assert _view_on_site(alice_client, mugs_only_order).status_code == 404


def test_view_on_site_leads_staff_to_an_order_with_their_lines(alice_client, mixed_order):
    response = _view_on_site(alice_client, mixed_order)

    assert response.status_code == 302
    assert response["Location"].endswith(f"/orders/{mixed_order.number}/")


def test_view_on_site_does_not_lead_staff_to_another_merchants_product(alice_client, lamps, mugs):
    theirs = variant_make(merchant=mugs, title="Stoneware mug").product
    mine = variant_make(merchant=lamps, title="Brass lamp").product

    assert _view_on_site(alice_client, theirs).status_code == 404
    assert _view_on_site(alice_client, mine).status_code == 302


def test_the_operator_is_led_to_any_order(operator_client, mugs_only_order):
    assert _view_on_site(operator_client, mugs_only_order).status_code == 302


# --- totals, labels and amounts in euros (issue 14) ----------------------------------------------


def _totals(page: str) -> str:
    """The totals block of an order's change page."""
    return page.split('<table class="agora-totals">')[1].split("</table>")[0]


def test_the_operator_sees_the_orders_totals_in_one_block(operator_client, mixed_order):
    services.order_refund(order=mixed_order, amount=500, reason="Chipped", by=None)

    page = operator_client.get(f"{CHANGELIST}{mixed_order.pk}/change/").content.decode()

    totals = _totals(page)
    # €25 lamp + 2 × €12 mugs; standard delivery €4.90.
    for label, amount in [
        ("Subtotal", "€49.00"),
        ("Shipping (Standard delivery)", "€4.90"),
        ("Total", "€53.90"),
        ("Refunded", "−€5.00"),
        ("Refundable", "€48.90"),
    ]:
        assert f'<th scope="row">{label}</th><td>{amount}</td>' in totals
    assert "Discount" not in totals  # no code was used
    assert mixed_order.vat_rate == 2100
    assert '<th scope="row">Includes VAT (21%)</th><td>€9.35</td>' in totals  # 53.90 × 21/121


def test_the_totals_say_when_an_orders_vat_was_not_recorded(operator_client, mixed_order):
    Order.objects.filter(pk=mixed_order.pk).update(vat_rate=None, vat_total=None)

    totals = _totals(operator_client.get(f"{CHANGELIST}{mixed_order.pk}/change/").content.decode())

    assert '<th scope="row">Includes VAT</th><td>Not recorded</td>' in totals


def test_the_totals_show_the_discount_and_its_code(operator_client, place, lamps):
    code = DiscountCodeFactory(code="WELCOME10", kind="percent", value=10)
    cart = cart_make((variant_make(price=5000, merchant=lamps), 1), discount=code)
    order = place(cart)

    totals = _totals(operator_client.get(f"{CHANGELIST}{order.pk}/change/").content.decode())

    assert '<th scope="row">Discount (WELCOME10)</th><td>−€5.00</td>' in totals
    assert '<th scope="row">Refundable</th><td>€0.00</td>' in totals  # not paid yet


def test_staff_see_the_totals_of_their_own_lines_only(alice_client, mixed_order):
    page = alice_client.get(f"{CHANGELIST}{mixed_order.pk}/change/").content.decode()

    totals = _totals(page)
    assert '<th scope="row">Lines of Lamps</th><td>€25.00</td>' in totals
    assert '<th scope="row">Refunded</th><td>€0.00</td>' in totals
    assert '<th scope="row">Refundable</th><td>€25.00</td>' in totals
    assert "€49.00" not in page and "€53.90" not in page  # the order's, with Mugs' lines


@pytest.mark.parametrize("lines", [2, 8])
def test_the_order_page_takes_the_same_queries_for_2_and_8_lines(
    operator_client, place, lamps, django_assert_num_queries, lines
):
    order = place(cart_make(*[(variant_make(merchant=lamps), 1) for _ in range(lines)]))
    ContentType.objects.clear_cache()

    # the session with its user, order, content type ("view on site"), lines, shipments, refunds,
    # history
    with django_assert_num_queries(7):
        response = operator_client.get(f"{CHANGELIST}{order.pk}/change/")

    assert response.status_code == 200


def test_the_history_names_statuses_by_their_labels(operator_client, mixed_order):
    page = operator_client.get(f"{CHANGELIST}{mixed_order.pk}/change/").content.decode()

    history = page.split('id="transitions-group"')[1]
    column = re.compile(r'<td class="field-(from|to)_label">\s*<p>([^<]*)</p>')
    assert column.findall(history) == [
        ("from", "—"),
        ("to", "Waiting for payment"),
        ("from", "Waiting for payment"),
        ("to", "Paid"),
    ]
    assert "pending_payment" not in page


def test_the_order_page_names_fields_in_words(operator_client, mixed_order):
    page = operator_client.get(f"{CHANGELIST}{mixed_order.pk}/change/").content.decode()

    for label in ["Full name:", "Address line 1:", "Address line 2:", "Postal code:", "Country:"]:
        assert label in page
    for code in ["Ship line1", "Ship full name", "Shipping method name", "Product title"]:
        assert code not in page


def test_a_refund_is_typed_in_euros_with_a_comma(operator_client, mixed_order):
    prefix = f"order-{mixed_order.pk}"

    _action(operator_client, "refund", [mixed_order], apply="1", **{f"{prefix}-amount": "12,50"})

    assert OrderRefund.objects.get().amount == 1250


def test_a_refund_of_nothing_is_asked_again(alice_client, mixed_order):
    prefix = f"order-{mixed_order.pk}"

    response = _action(
        alice_client, "refund", [mixed_order], apply="1", **{f"{prefix}-amount": "0"}
    )

    assert "Enter an amount above zero." in response.content.decode()
    assert not OrderRefund.objects.exists()


def test_the_operator_types_a_shipping_price_in_euros(operator_client):
    response = operator_client.post(
        "/admin/orders/shippingmethod/add/",
        {"name": "Courier", "code": "courier", "price": "4,90", "is_active": "on", "position": 3},
    )

    assert response.status_code == 302
    assert ShippingMethod.objects.get(code="courier").price == 490
