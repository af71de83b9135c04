"""Ordering a funded pool's gift with its money (an order paid with no card, shipped to the
pool's address, a wishlist's behind its label), refusing it when the price rose, giving back a
surplus; auto_order through the outbox; the order's events moving the pool once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from gifting.pools import contributions, lifecycle, opening, ordering, payments, services
from gifting.pools.errors import PoolError
from gifting.pools.models import Pool, PoolRefund
from gifting.pools.notifications import FUNDED_KIND, GIFT_KIND, ORDERED_KIND, SHIPPED_KIND
from gifting.wishlists import services as wishlist_services
from shop.catalog.models import Variant
from shop.core.errors import DomainError
from shop.core.models import OutboxMessage
from shop.core.outbox import outbox_deliver
from shop.orders import services as order_services
from shop.orders.models import Order
from shop.payments.models import Payment
from social.notifications.models import Notification
from tests.factories import (
    GOOD_CARD,
    AddressFactory,
    UserFactory,
    address_input,
    cart_new,
    friends_make,
    variant_make,
)

pytestmark = pytest.mark.django_db

SECRET_LINE = "7 Hidden Lane"
PRICE, SHIPPING = 2500, 490


@pytest.fixture
def people():
    ana, ben, chloe, dan = (
        UserFactory(username=n, display_name=n.title()) for n in ("ana", "ben", "chloe", "dan")
    )
    friends_make(ana, ben, chloe, dan)
    friends_make(ben, chloe, dan)
    return ana, ben, chloe, dan


@pytest.fixture
def variant():
    return variant_make(price=PRICE, stock=5, title="Matrix Jacket")


def variant_pool(organiser, recipient, variant, method, **fields):
    return opening.pool_open_for_variant(
        organiser=organiser,
        variant=variant,
        shipping_method=method,
        deadline=timezone.now() + timedelta(days=7),
        visibility="friends",
        recipient=recipient,
        address=address_input(),
        **fields,
    )


def wish_pool(organiser, owner, variant, method, **fields):
    address = AddressFactory(user=owner, full_name="Ana Secret", line1=SECRET_LINE)
    wishlist = wishlist_services.wishlist_create(
        owner=owner, title="Birthday", visibility="friends", shipping_address=address
    )
    item = wishlist_services.wishlist_item_add(wishlist=wishlist, variant_id=variant.pk)
    return opening.pool_open_for_wish(
        organiser=organiser,
        item=item,
        shipping_method=method,
        deadline=timezone.now() + timedelta(days=7),
        visibility="friends",
        **fields,
    )


@pytest.fixture(autouse=True)
def _fake_gateway(settings):
    settings.PAYMENT_GATEWAY = "fake"
    settings.SITE_URL = "https://shop.example"


def fund(pool, *contributors):
    """Chip in the whole target by card, shared between CONTRIBUTORS (members, or guests'
    emails; the last takes the rest)."""
    share = pool.target // len(contributors)
    for index, person in enumerate(contributors):
        amount = share if index < len(contributors) - 1 else pool.target - share * index
        who = (
            {"guest_name": "Gus", "guest_email": person}
            if isinstance(person, str)
            else {"contributor": person}
        )
        contribution = contributions.contribution_reserve(pool=pool, amount=amount, **who)
        payment = payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)
        assert payment.status == "succeeded", payment.error_message
    pool.refresh_from_db()
    return pool


def told(kind, *people):
    return sorted(
        Notification.objects.filter(kind=kind, recipient__in=people).values_list(
            "recipient__username", flat=True
        )
    )


def refused(call, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    return caught.value


# --- placing the order ------------------------------------------------------------------------


def test_a_funded_pool_is_ordered_and_paid_without_a_card(people, variant, method):
    ana, ben, chloe, dan = people
    pool = fund(variant_pool(ben, ana, variant, method), chloe, dan)
    assert pool.state == "funded" and pool.collected == PRICE + SHIPPING

    order = ordering.pool_order_place(pool=pool, by=ben)

    pool.refresh_from_db()
    order.refresh_from_db()
    assert (pool.state, pool.order) == ("ordered", order)
    assert (order.status, order.payment, order.total) == ("paid", None, PRICE + SHIPPING)
    assert order.customer == ben and order.attribution == f"pool:{pool.pk}"
    assert [(line.variant_id, line.quantity) for line in order.lines.all()] == [(variant.pk, 1)]
    assert (order.ship_full_name, order.ship_city, order.shipping_method) == (
        "Ada Lovelace",
        "Paris",
        method,
    )
    assert not Payment.objects.filter(reference=order.payment_reference).exists()
    assert Payment.objects.count() == 2  # the two contributions' own
    variant.refresh_from_db()
    assert variant.stock == 4
    assert list(pool.transitions.values_list("to_state", flat=True))[-2:] == ["funded", "ordered"]


def test_a_wish_pools_order_ships_to_the_hidden_address_under_its_label(people, variant, method):
    ana, ben, chloe, _ = people
    pool = fund(wish_pool(ben, ana, variant, method), ben, chloe)

    order = ordering.pool_order_place(pool=pool, by=ben)

    assert (order.ship_line1, order.ship_full_name) == (SECRET_LINE, "Ana Secret")
    assert order.ship_to_label == "Ana’s registry address" and order.address_hidden
    pool.claim.refresh_from_db()
    assert (pool.claim.status, pool.claim.order_id) == ("purchased", order.pk)
    # Ben's address book did not get Ana's address.
    assert not ben.addresses.exists()


def test_a_variant_pools_order_reads_as_the_recipients_address(people, variant, method):
    ana, ben, chloe, _ = people
    pool = fund(variant_pool(ben, ana, variant, method), chloe)

    order = ordering.pool_order_place(pool=pool, by=ben)

    # Hidden from the buyer's feed (where Ana would learn of it) and from the greeting.
    assert order.ship_to_label == "Ana’s address" and order.greeting_name == "there"


def test_the_order_is_told_to_the_organiser_and_contributors_never_the_recipient(
    people, variant, method
):
    ana, ben, chloe, dan = people
    pool = fund(variant_pool(ben, ana, variant, method), chloe, dan)

    ordering.pool_order_place(pool=pool, by=ben)

    assert told(ORDERED_KIND, ana, ben, chloe, dan) == ["chloe", "dan"]  # Ben did it himself


def test_only_the_organiser_orders(people, variant, method):
    ana, ben, chloe, _ = people
    pool = fund(variant_pool(ben, ana, variant, method), chloe)

    by_chloe = refused(ordering.pool_order_place, pool=pool, by=chloe)
    by_system = refused(ordering.pool_order_place, pool=pool, by=None)

    assert by_chloe.code == by_system.code == PoolError.NOT_ORGANISER
    assert not Order.objects.exists()


def test_a_pool_not_funded_is_not_ordered(people, variant, method):
    ana, ben, _, _ = people
    pool = variant_pool(ben, ana, variant, method)

    error = refused(ordering.pool_order_place, pool=pool, by=ben)

    assert (error.code, error.field) == (PoolError.NOT_FUNDED, "pool")


def test_a_pool_is_ordered_once(people, variant, method):
    ana, ben, chloe, _ = people
    pool = fund(variant_pool(ben, ana, variant, method), chloe)
    ordering.pool_order_place(pool=pool, by=ben)

    error = refused(ordering.pool_order_place, pool=pool, by=ben)

    assert error.code == PoolError.NOT_FUNDED and "ordered already" in error.message
    assert Order.objects.count() == 1


def test_a_free_amount_pool_asks_for_the_gift_first(people):
    ana, ben, chloe, _ = people
    pool = services.pool_open(
        organiser=ben,
        target=5000,
        deadline=timezone.now() + timedelta(days=7),
        visibility="friends",
        recipient=ana,
    )
    fund(pool, chloe)

    error = refused(ordering.pool_order_place, pool=pool, by=ben)

    assert (error.code, error.field, error.message) == (
        PoolError.NO_GIFT,
        "variant",
        "Choose the gift first.",
    )


def test_a_gift_that_now_costs_more_is_refused_and_nothing_is_kept(people, variant, method):
    ana, ben, chloe, _ = people
    pool = fund(variant_pool(ben, ana, variant, method), chloe)
    Variant.objects.filter(pk=variant.pk).update(price=PRICE + 100)

    error = refused(ordering.pool_order_place, pool=pool, by=ben)

    pool.refresh_from_db()
    variant.refresh_from_db()
    assert (error.code, error.field) == (PoolError.PRICE_CHANGED, "pool")
    assert "€30.90" in error.message and "€29.90" in error.message
    assert pool.state == "funded" and pool.order is None
    assert not Order.objects.exists() and variant.stock == 5


def test_a_gift_that_now_costs_less_gives_the_surplus_back_pro_rata(
    people, variant, method, django_capture_on_commit_callbacks
):
    ana, ben, chloe, dan = people
    pool = fund(variant_pool(ben, ana, variant, method), chloe, dan)  # 1495 each
    Variant.objects.filter(pk=variant.pk).update(price=PRICE - 500)

    with django_capture_on_commit_callbacks(execute=True):
        order = ordering.pool_order_place(pool=pool, by=ben)

    pool.refresh_from_db()
    assert order.total == PRICE - 500 + SHIPPING and order.status == "paid"
    assert pool.state == "ordered" and pool.collected == order.total
    refunds = PoolRefund.objects.order_by("pk")
    assert [(r.contribution.contributor, r.amount) for r in refunds] == [(chloe, 250), (dan, 250)]
    assert {r.reason for r in refunds} == {"The gift cost less"}
    assert {r.status for r in refunds} == {"done"}


def test_a_sold_out_gift_is_refused_clearly(people, variant, method):
    ana, ben, chloe, _ = people
    pool = fund(variant_pool(ben, ana, variant, method), chloe)
    Variant.objects.filter(pk=variant.pk).update(stock=0)

    error = refused(ordering.pool_order_place, pool=pool, by=ben)

    assert error.code == "out_of_stock" and "sold out" in error.message
    pool.refresh_from_db()
    assert pool.state == "funded"


# --- funded: told, and auto_order -------------------------------------------------------------


def test_funding_writes_the_funded_row_with_the_state(people, variant, method):
    ana, ben, chloe, _ = people

    pool = fund(variant_pool(ben, ana, variant, method), chloe)

    assert list(
        OutboxMessage.objects.filter(topic=ordering.FUNDED_TOPIC).values_list("payload", flat=True)
    ) == [{"pool_id": pool.pk}]


def test_auto_order_places_the_order_when_the_funded_row_is_delivered(
    people, variant, method, django_capture_on_commit_callbacks
):
    ana, ben, chloe, dan = people
    pool = variant_pool(ben, ana, variant, method, auto_order=True)

    with django_capture_on_commit_callbacks(execute=True):
        fund(pool, chloe, dan)

    pool.refresh_from_db()
    assert pool.state == "ordered" and pool.order.status == "paid"
    assert told(FUNDED_KIND, ana, ben, chloe, dan) == ["ben", "chloe", "dan"]
    assert told(ORDERED_KIND, ana, ben, chloe, dan) == ["ben", "chloe", "dan"]
    assert pool.transitions.get(to_state="ordered").by is None


def test_a_funded_row_delivered_twice_orders_and_tells_once(
    people, variant, method, django_capture_on_commit_callbacks
):
    ana, ben, chloe, _ = people
    pool = variant_pool(ben, ana, variant, method, auto_order=True)
    with django_capture_on_commit_callbacks(execute=True):
        fund(pool, chloe)
    message = OutboxMessage.objects.get(topic=ordering.FUNDED_TOPIC)
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=None)

    assert outbox_deliver(message_id=message.pk) is True

    assert Order.objects.count() == 1
    assert Notification.objects.filter(kind=FUNDED_KIND).count() == 2
    assert Notification.objects.filter(kind=ORDERED_KIND).count() == 2


def test_without_auto_order_the_organiser_is_told_and_orders_later(
    people, variant, method, django_capture_on_commit_callbacks
):
    ana, ben, chloe, _ = people
    pool = variant_pool(ben, ana, variant, method)

    with django_capture_on_commit_callbacks(execute=True):
        fund(pool, chloe)

    pool.refresh_from_db()
    assert pool.state == "funded" and not Order.objects.exists()
    assert told(FUNDED_KIND, ana, ben, chloe) == ["ben", "chloe"]


def test_an_auto_order_that_fails_leaves_the_pool_funded_for_its_organiser(
    people, variant, method, django_capture_on_commit_callbacks
):
    ana, ben, chloe, _ = people
    pool = variant_pool(ben, ana, variant, method, auto_order=True)
    Variant.objects.filter(pk=variant.pk).update(price=PRICE + 1)

    with django_capture_on_commit_callbacks(execute=True):
        fund(pool, chloe)

    pool.refresh_from_db()
    assert pool.state == "funded" and not Order.objects.exists()
    assert told(FUNDED_KIND, ben) == ["ben"]
    assert OutboxMessage.objects.get(topic=ordering.FUNDED_TOPIC).sent_at is not None


# --- following the order ----------------------------------------------------------------------


@pytest.fixture
def ordered(people, variant, method):
    ana, ben, chloe, _ = people
    pool = fund(variant_pool(ben, ana, variant, method), chloe)
    order = ordering.pool_order_place(pool=pool, by=ben)
    return pool, order


def redeliver(topic: str) -> None:
    """Deliver again every sent row of TOPIC (the outbox delivers at least once)."""
    for message in OutboxMessage.objects.filter(topic=topic):
        OutboxMessage.objects.filter(pk=message.pk).update(sent_at=None)
        assert outbox_deliver(message_id=message.pk) is True


def test_the_order_shipping_ships_the_pool_once_and_tells_the_recipient(
    people, ordered, django_capture_on_commit_callbacks
):
    ana, ben, chloe, _ = people
    pool, order = ordered
    operator = UserFactory(is_staff=True, is_superuser=True)

    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_fulfil(
            order=order, merchant=order.lines.get().merchant, tracking_number="TRK1", by=operator
        )
    redeliver("order.shipped")

    pool.refresh_from_db()
    assert pool.state == "shipped"
    assert pool.transitions.filter(to_state="shipped").count() == 1
    assert told(SHIPPED_KIND, ana, ben, chloe) == ["ben", "chloe"]
    assert told(GIFT_KIND, ana, ben, chloe) == ["ana"]
    assert Notification.objects.filter(kind__in=[SHIPPED_KIND, GIFT_KIND]).count() == 3


def test_the_order_delivered_delivers_the_pool_once(
    people, ordered, django_capture_on_commit_callbacks
):
    pool, order = ordered
    operator = UserFactory(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_fulfil(
            order=order, merchant=order.lines.get().merchant, tracking_number="TRK1", by=operator
        )

    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_mark_delivered(order=order, by=operator)
    redeliver("order.delivered")
    redeliver("order.shipped")

    pool.refresh_from_db()
    assert pool.state == "delivered"
    assert list(pool.transitions.values_list("to_state", flat=True))[-3:] == [
        "ordered",
        "shipped",
        "delivered",
    ]


def test_a_delivered_event_before_its_shipped_event_still_moves_the_pool_through_shipped(
    people, ordered
):
    ana, _, _, _ = people
    pool, order = ordered

    assert ordering.pool_order_delivered(order_id=order.pk) is True
    assert ordering.pool_order_shipped(order_id=order.pk) is False

    pool.refresh_from_db()
    assert pool.state == "delivered"
    assert told(GIFT_KIND, ana) == ["ana"]


def test_events_of_an_order_no_pool_placed_change_no_pool(people, ordered, place):
    pool, _ = ordered
    other = place(cart_new())

    assert ordering.pool_order_shipped(order_id=other.pk) is False
    assert ordering.pool_order_cancelled(order_id=other.pk) is False

    pool.refresh_from_db()
    assert pool.state == "ordered"


def test_the_shop_cancelling_the_order_cancels_the_pool_and_refunds_everyone_once(
    people, ordered, django_capture_on_commit_callbacks
):
    _, _, chloe, _ = people
    pool, order = ordered
    operator = UserFactory(is_staff=True, is_superuser=True)

    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_cancel(order=order, by=operator, reason="Damaged in the warehouse")
    redeliver("order.cancelled")
    redeliver("order.refunded")

    pool.refresh_from_db()
    assert pool.state == "refunded"  # cancelled, then every contribution came back
    assert list(pool.transitions.values_list("to_state", flat=True))[-2:] == [
        "cancelled",
        "refunded",
    ]
    refunds = list(PoolRefund.objects.all())
    assert [(r.contribution.contributor, r.amount, r.status) for r in refunds] == [
        (chloe, PRICE + SHIPPING, "done")
    ]


def test_a_partial_shop_refund_goes_back_to_the_contributors_once(
    people, variant, method, django_capture_on_commit_callbacks
):
    ana, ben, chloe, dan = people
    pool = fund(variant_pool(ben, ana, variant, method), chloe, dan)
    order = ordering.pool_order_place(pool=pool, by=ben)
    operator = UserFactory(is_staff=True, is_superuser=True)

    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_refund(order=order, amount=1000, reason="Scratched", by=operator)
    redeliver("order.refunded")

    pool.refresh_from_db()
    assert pool.state == "ordered" and pool.collected == PRICE + SHIPPING - 1000
    assert sorted(PoolRefund.objects.values_list("amount", flat=True)) == [500, 500]


def test_guests_hear_the_pool_is_funded_by_email_once(
    people, variant, method, django_capture_on_commit_callbacks
):
    ana, ben, chloe, _ = people
    pool = variant_pool(ben, ana, variant, method)

    with django_capture_on_commit_callbacks(execute=True):
        fund(pool, chloe, "gus@example.com")
    redeliver(ordering.FUNDED_TOPIC)

    funded = [m for m in mail.outbox if "fully funded" in m.subject]
    # Ben and Chloe by their notifications' emails, Gus by the guests' email: once each.
    assert sorted(m.to[0] for m in funded) == [
        "ben@example.com",
        "chloe@example.com",
        "gus@example.com",
    ]
    guest = next(m for m in funded if m.to == ["gus@example.com"])
    assert "Matrix Jacket" in guest.subject and "Hello Gus" in guest.body


def test_a_pool_switched_away_from_its_wish_gives_the_wish_back_when_ordered(
    people, variant, method
):
    ana, ben, chloe, _ = people
    pool = fund(wish_pool(ben, ana, variant, method), chloe)
    other = variant_make(price=PRICE, title="Other Jacket")
    Pool.objects.filter(pk=pool.pk).update(variant=other)  # as pool_switch leaves it
    pool.refresh_from_db()

    ordering.pool_order_place(pool=pool, by=ben)

    pool.claim.refresh_from_db()
    assert pool.claim.status == "released"


def test_closing_a_wish_pool_gives_the_wish_back(people, variant, method):
    ana, ben, _, _ = people
    pool = wish_pool(ben, ana, variant, method)

    lifecycle.pool_close(pool=pool, by=ben)

    pool.claim.refresh_from_db()
    assert pool.claim.status == "released"
