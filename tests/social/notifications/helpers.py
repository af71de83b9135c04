"""What the notification tests share: notifications made through the service."""

from social.notifications.services import notification_notify
from social.notifications.standard_kinds import FRIEND_REQUEST_ACCEPTED, ORDER_SHIPPED
from tests.factories import UserFactory

_counter = iter(range(1, 10**9))


def accepted_by(recipient, actor, *, key: str | None = None):
    """ACTOR accepted RECIPIENT's friend request (as the receiver would say it)."""
    return notification_notify(
        recipient=recipient,
        kind=FRIEND_REQUEST_ACCEPTED,
        actor=actor,
        target_type="graph.friendrequest",
        target_id=next(_counter),
        url=f"/people/{actor.username}/",
        dedupe_key=key or f"test-accepted:{next(_counter)}",
    )


def order_shipped(recipient, *, number: str = "AG-TEST"):
    return notification_notify(
        recipient=recipient,
        kind=ORDER_SHIPPED,
        target_type="orders.order",
        target_id=next(_counter),
        url=f"/orders/{number}/",
        data={"number": number},
        dedupe_key=f"test-shipped:{next(_counter)}",
    )


def notifications_many(recipient, count: int) -> None:
    """Give RECIPIENT COUNT notifications: orders shipped, each on its own line."""
    for index in range(count):
        order_shipped(recipient, number=f"AG-{index:06d}")


def person(**fields):
    return UserFactory(**fields)
