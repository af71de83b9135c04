"""What notifications hear, connected from NotificationsConfig.ready(): the graph's events
(requests, accepts, follows, invites), the shop's order events and the data export.

Each receiver re-reads its rows by id and calls notification_notify with a dedupe key that
names the event, so an event delivered twice (the order outbox delivers at least once)
notifies once. Graph events arrive after their commit; order events inside the outbox's
delivery (an exception makes the outbox try again later).
"""

from django.urls import reverse

from shop.core.money import money_format
from shop.orders.selectors import order_customer_get
from social.graph import selectors as graph
from social.notifications import standard_kinds as kinds
from social.notifications.services import notification_notify


def _profile_url(person) -> str:
    return reverse("person_detail", kwargs={"username": person.username})


def friend_request_sent_notify(sender, *, request_id: int, **kwargs) -> None:
    found = graph.friend_request_get(request_id=request_id)
    if found is None:
        return
    notification_notify(
        recipient=found.to_user,
        kind=kinds.FRIEND_REQUEST_RECEIVED,
        actor=found.from_user,
        target_type="graph.friendrequest",
        target_id=found.pk,
        url=reverse("friends") + "#requests",
        dedupe_key=f"friend_request_sent:{found.pk}",
    )


def friend_request_accepted_notify(sender, *, request_id: int, **kwargs) -> None:
    found = graph.friend_request_get(request_id=request_id)
    if found is None:
        return
    notification_notify(
        recipient=found.from_user,
        kind=kinds.FRIEND_REQUEST_ACCEPTED,
        actor=found.to_user,
        target_type="graph.friendrequest",
        target_id=found.pk,
        url=_profile_url(found.to_user),
        dedupe_key=f"friend_request_accepted:{found.pk}",
    )


def follow_created_notify(sender, *, follow_id: int, **kwargs) -> None:
    found = graph.follow_get(follow_id=follow_id)
    if found is None or found.person_id is None:  # merchants are told nothing here
        return
    notification_notify(
        recipient=found.person,
        kind=kinds.NEW_FOLLOWER,
        actor=found.follower,
        target_type="graph.follow",
        target_id=found.pk,
        url=_profile_url(found.follower),
        dedupe_key=f"follow_created:{found.pk}",
    )


def invite_accepted_notify(sender, *, referral_id: int, **kwargs) -> None:
    found = graph.referral_get(referral_id=referral_id)
    if found is None:
        return
    notification_notify(
        recipient=found.inviter,
        kind=kinds.INVITE_ACCEPTED,
        actor=found.newcomer,
        target_type="graph.referral",
        target_id=found.pk,
        url=_profile_url(found.newcomer),
        dedupe_key=f"invite_accepted:{found.pk}",
    )


def _order_event_key(
    kind: str, *, order_id: int, event_id: int, fulfilment_id=None, refund_id=None, **payload
) -> str:
    """Name an order event by what it is about (an order is placed and paid once, each
    shipment and refund has its own row), so a redelivery, or a second outbox row for the same
    change, notifies once."""
    if kind == kinds.ORDER_SHIPPED and fulfilment_id is not None:
        return f"{kind}:{fulfilment_id}"
    if kind == kinds.ORDER_REFUNDED and refund_id is not None:
        return f"{kind}:{refund_id}"
    if kind in (kinds.ORDER_PLACED, kinds.ORDER_PAID):
        return f"{kind}:{order_id}"
    return f"order_event:{event_id}"


def _order_receiver(kind: str):
    def receive(sender, *, order_id: int, number: str, event_id: int, **payload) -> None:
        customer = order_customer_get(order_id=order_id)
        if customer is None:  # a guest's order: no account to tell
            return
        data = {"number": number}
        if "amount" in payload:
            data["amount_text"] = money_format(payload["amount"])
        notification_notify(
            recipient=customer,
            kind=kind,
            target_type="orders.order",
            target_id=order_id,
            url=reverse("order-detail", kwargs={"number": number}),
            data=data,
            dedupe_key=_order_event_key(kind, order_id=order_id, event_id=event_id, **payload),
        )

    receive.__qualname__ = f"{kind}_notify"
    return receive


def personal_data_export_ready_notify(
    sender, *, user_id: int, export_id: int, url: str, **kwargs
) -> None:
    from django.contrib.auth import get_user_model

    recipient = get_user_model().objects.filter(pk=user_id).first()
    notification_notify(
        recipient=recipient,
        kind=kinds.DATA_EXPORT_READY,
        target_type="accounts.export",
        target_id=export_id,
        url=url,
        dedupe_key=f"data_export_ready:{export_id}",
    )


ORDER_RECEIVERS = {
    "order_placed": (kinds.ORDER_PLACED, _order_receiver(kinds.ORDER_PLACED)),
    "order_paid": (kinds.ORDER_PAID, _order_receiver(kinds.ORDER_PAID)),
    "order_shipped": (kinds.ORDER_SHIPPED, _order_receiver(kinds.ORDER_SHIPPED)),
    "order_refunded": (kinds.ORDER_REFUNDED, _order_receiver(kinds.ORDER_REFUNDED)),
}


def connect() -> None:
    from shop.accounts import events as account_events
    from shop.orders import events as order_events
    from social.graph import events as graph_events

    graph_events.friend_request_sent.connect(
        friend_request_sent_notify, weak=False, dispatch_uid="notifications.friend_request_sent"
    )
    graph_events.friend_request_accepted.connect(
        friend_request_accepted_notify,
        weak=False,
        dispatch_uid="notifications.friend_request_accepted",
    )
    graph_events.follow_created.connect(
        follow_created_notify, weak=False, dispatch_uid="notifications.follow_created"
    )
    graph_events.invite_accepted.connect(
        invite_accepted_notify, weak=False, dispatch_uid="notifications.invite_accepted"
    )
    for signal_name, (_kind, receiver) in ORDER_RECEIVERS.items():
        getattr(order_events, signal_name).connect(
            receiver, weak=False, dispatch_uid=f"notifications.{signal_name}"
        )
    account_events.personal_data_export_ready.connect(
        personal_data_export_ready_notify,
        weak=False,
        dispatch_uid="notifications.personal_data_export_ready",
    )
