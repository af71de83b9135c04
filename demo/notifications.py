"""The demo shopper's unread notifications: the friend requests waiting for them, a friend
who accepted their request, and the shipping of their past order.

Made through social.notifications, each with the key its event would give it (the receivers'
own functions for requests and shipments), so running the demo again, or the events arriving
after the demo's transaction commits, adds nothing twice.
"""

from collections import Counter

from django.urls import reverse

from shop.orders.models import Fulfilment
from social.graph import selectors as graph
from social.notifications import receivers
from social.notifications.models import Notification
from social.notifications.services import notification_notify
from social.notifications.standard_kinds import FRIEND_REQUEST_ACCEPTED


def _count(created: Counter, recipient, work) -> None:
    before = Notification.objects.filter(recipient=recipient).count()
    work()
    created["notifications"] += Notification.objects.filter(recipient=recipient).count() - before


def demo_notifications_ensure(*, shopper, accepted_by, created: Counter) -> None:
    def work() -> None:
        for request in graph.friend_request_list_received(user=shopper):
            receivers.friend_request_sent_notify(sender="demo", request_id=request.pk)
        if accepted_by is not None:
            notification_notify(
                recipient=shopper,
                kind=FRIEND_REQUEST_ACCEPTED,
                actor=accepted_by,
                url=reverse("person_detail", kwargs={"username": accepted_by.username}),
                dedupe_key=f"demo:{FRIEND_REQUEST_ACCEPTED}:{accepted_by.username}",
            )
        shipped = (
            Fulfilment.objects.filter(order__customer=shopper)
            .select_related("order")
            .order_by("-pk")
            .first()
        )
        if shipped is not None:
            _, receive = receivers.ORDER_RECEIVERS["order_shipped"]
            receive(
                sender="demo",
                order_id=shipped.order_id,
                number=shipped.order.number,
                event_id=0,
                merchant_id=shipped.merchant_id,
                fulfilment_id=shipped.pk,
            )

    _count(created, shopper, work)
