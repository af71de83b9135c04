"""A wish bought directly whose order the shop cancels, or refunds in full, goes back to its
list: the claim moves purchased -> released (reason "order"), once, whatever the number of
times the shop's event is delivered; a partial refund keeps the gift bought."""

import pytest

from gifting.wishlists import services
from gifting.wishlists.models import Claim
from shop.core.models import OutboxMessage
from shop.core.outbox import outbox_deliver
from shop.orders import services as order_services
from shop.orders.events import order_refunded
from tests.factories import UserFactory, friends_make, purchases_make
from tests.gifting.wishlists.helpers import wish_make

pytestmark = pytest.mark.django_db


def _bought(owner, buyer, *, status="paid", title="Birthday"):
    """A wish of OWNER's that BUYER claimed and bought directly, its order at STATUS."""
    item = wish_make(owner, title=title)
    claim = services.claim_create(item=item, claimer=buyer)
    order = purchases_make(buyer, [item.variant.product], status=status)
    services.claim_purchase(claim=claim, order_id=order.pk)
    return claim, order


def _redeliver(topic: str) -> None:
    """Deliver again every sent row of TOPIC (the outbox delivers at least once)."""
    for message in OutboxMessage.objects.filter(topic=topic):
        OutboxMessage.objects.filter(pk=message.pk).update(sent_at=None)
        assert outbox_deliver(message_id=message.pk) is True


def test_the_shop_cancelling_the_order_gives_the_wish_back_once(
    ana, ben, django_capture_on_commit_callbacks
):
    claim, order = _bought(ana, ben)
    kept, _ = _bought(ana, ben, title="Other list")  # another order, left alone
    operator = UserFactory(is_staff=True, is_superuser=True)

    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_cancel(order=order, by=operator, reason="Out of stock after all")
    _redeliver("order.cancelled")

    claim.refresh_from_db()
    kept.refresh_from_db()
    assert (claim.status, claim.release_reason) == ("released", "order")
    assert claim.released_at is not None
    assert kept.status == "purchased"
    # Free on its list again: someone may claim it.
    chloe = UserFactory()
    friends_make(ana, chloe)
    again = services.claim_create(item=claim.item, claimer=chloe)
    assert again.status == "reserved"


def test_an_order_refunded_in_full_gives_the_wish_back(ana, ben):
    claim, order = _bought(ana, ben, status="refunded")

    order_refunded.send_robust(
        sender=None, event_id=1, order_id=order.pk, number=order.number, refund_id=1, amount=1
    )

    claim.refresh_from_db()
    assert (claim.status, claim.release_reason) == ("released", "order")


def test_a_partial_refund_keeps_the_wish_bought(ana, ben):
    claim, order = _bought(ana, ben, status="paid")

    order_refunded.send_robust(
        sender=None, event_id=1, order_id=order.pk, number=order.number, refund_id=1, amount=1
    )

    claim.refresh_from_db()
    assert claim.status == "purchased"


def test_giving_back_is_a_transition_of_purchased_claims_only(ana, ben):
    claim, order = _bought(ana, ben)
    reserved = services.claim_create(item=wish_make(ana, title="Third"), claimer=ben)
    Claim.objects.filter(pk=reserved.pk).update(order_id=order.pk)  # not bought: untouched

    first = services.claims_purchase_undo_for_order(order_id=order.pk)
    second = services.claims_purchase_undo_for_order(order_id=order.pk)

    assert (first, second) == (1, 0)
    reserved.refresh_from_db()
    assert reserved.status == "reserved"
