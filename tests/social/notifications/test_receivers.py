"""The events notifications hear: each delivered twice notifies once."""

import pytest
from django.core import mail

from shop.accounts.events import personal_data_export_ready
from shop.orders import events as order_events
from shop.orders import services as orders
from shop.orders.models import Order
from social.graph import events as graph_events
from social.graph import services as graph
from social.graph.models import Referral
from social.notifications import selectors
from social.notifications.models import Notification
from tests.factories import GOOD_CARD, UserFactory, cart_new, order_place, privacy_set

pytestmark = pytest.mark.django_db


def _texts(person) -> list[str]:
    return [item.text for item in selectors.notification_list(user=person).items]


def _again(signal, **kwargs) -> None:
    """Deliver an event a second time, as a redelivery would."""
    signal.send_robust(sender="test", **kwargs)


def test_a_friend_request_tells_the_person_asked_once(django_capture_on_commit_callbacks):
    ana, ben = UserFactory(display_name="Ana"), UserFactory(display_name="Ben")

    with django_capture_on_commit_callbacks(execute=True):
        request = graph.friend_request_send(sender=ana, to=ben)
    _again(graph_events.friend_request_sent, request_id=request.pk)

    assert _texts(ben) == ["Ana sent you a friend request"]
    assert _texts(ana) == []
    assert [m.to for m in mail.outbox] == [[ben.email]]


def test_an_accepted_request_tells_the_person_who_asked_once(django_capture_on_commit_callbacks):
    ana, ben = UserFactory(display_name="Ana"), UserFactory(display_name="Ben")
    request = graph.friend_request_send(sender=ana, to=ben)

    with django_capture_on_commit_callbacks(execute=True):
        graph.friend_request_accept(friend_request=request, user=ben)
    _again(graph_events.friend_request_accepted, request_id=request.pk)

    assert _texts(ana) == ["Ben accepted your friend request"]
    (item,) = selectors.notification_list(user=ana).items
    assert item.url == f"/people/{ben.username}/"


def test_a_new_follower_tells_the_person_followed_once(django_capture_on_commit_callbacks):
    ana, ben = UserFactory(display_name="Ana"), UserFactory()
    privacy_set(ben, profile="public")

    with django_capture_on_commit_callbacks(execute=True):
        follow = graph.person_follow(follower=ana, person=ben)
    _again(graph_events.follow_created, follow_id=follow.pk)

    assert _texts(ben) == ["Ana started following you"]
    assert mail.outbox == []  # new followers come in the daily digest by default


def test_an_accepted_invitation_tells_the_inviter_once():
    inviter, newcomer = UserFactory(display_name="Ines"), UserFactory(display_name="Nuno")
    referral = Referral.objects.create(inviter=inviter, newcomer=newcomer)

    _again(graph_events.invite_accepted, referral_id=referral.pk)
    _again(graph_events.invite_accepted, referral_id=referral.pk)

    assert _texts(inviter) == ["Nuno joined through your invitation: you are now friends"]


def test_a_request_from_someone_blocked_meanwhile_tells_nobody():
    ana, ben = UserFactory(), UserFactory()
    request = graph.friend_request_send(sender=ana, to=ben)
    graph.person_block(blocker=ben, person=ana)

    _again(graph_events.friend_request_sent, request_id=request.pk)

    assert not Notification.objects.exists()


def test_a_signed_in_shoppers_order_events_each_notify_once(
    standard, django_capture_on_commit_callbacks
):
    shopper = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        order = order_place(cart_new(user=shopper), method=standard, customer=shopper)
    with django_capture_on_commit_callbacks(execute=True):
        orders.order_pay(order=order, payment_method=GOOD_CARD)
    with django_capture_on_commit_callbacks(execute=True):
        orders.order_fulfil(
            order=order,
            merchant=order.lines.first().merchant,
            tracking_number="TRK-1",
            by=None,
        )
    with django_capture_on_commit_callbacks(execute=True):
        orders.order_refund(order=order, amount=500, reason="Scratched", by=None)

    n = order.number
    assert _texts(shopper) == [
        f"Order {n}: €5.00 refunded",
        f"Your order {n} has shipped",
        f"Your payment for order {n} went through",
        f"Your order {n} is placed",
    ]


def test_an_order_event_delivered_twice_notifies_once():
    shopper = UserFactory()
    order = Order.objects.create(
        customer=shopper, email=shopper.email, currency="EUR", subtotal=100, total=100
    )

    for event_id in (77, 77, 78):  # redelivered, and even sent again as a new outbox row
        _again(
            order_events.order_shipped,
            order_id=order.pk,
            number=order.number,
            event_id=event_id,
            merchant_id=1,
            fulfilment_id=5,
        )

    assert _texts(shopper) == [f"Your order {order.number} has shipped"]


def test_a_guests_order_notifies_no_one():
    order = Order.objects.create(email="g@example.com", currency="EUR", subtotal=100, total=100)

    _again(order_events.order_paid, order_id=order.pk, number=order.number, event_id=5)

    assert not Notification.objects.exists()


def test_a_data_export_ready_is_announced_once_with_its_link():
    person = UserFactory()

    for _ in range(2):
        _again(
            personal_data_export_ready,
            user_id=person.pk,
            export_id=3,
            url="/settings/data/exports/3/",
        )

    (item,) = selectors.notification_list(user=person).items
    assert item.text.startswith("Your data is ready to download")
    assert item.url == "/settings/data/exports/3/"
