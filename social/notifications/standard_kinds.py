"""The kinds of notification this issue brings: the graph's (requests, follows, invites), the
shop's order events, and the "download my data" export. Later apps register their own."""

from social.notifications.kinds import Group, NotificationKind, notification_kind_register
from social.notifications.models import Delivery

FRIEND_REQUEST_RECEIVED = "friend_request_received"
FRIEND_REQUEST_ACCEPTED = "friend_request_accepted"
INVITE_ACCEPTED = "invite_accepted"
NEW_FOLLOWER = "new_follower"
ORDER_PLACED = "order_placed"
ORDER_PAID = "order_paid"
ORDER_SHIPPED = "order_shipped"
ORDER_REFUNDED = "order_refunded"
DATA_EXPORT_READY = "data_export_ready"

# The shop already sends its own email for each order event (shop.orders.notifications), so
# order notifications email nobody unless the person asks.
_ORDER_HELP = "The shop always emails you about your orders; this adds a second email."

KINDS = [
    NotificationKind(
        key=FRIEND_REQUEST_RECEIVED,
        label="Someone sends me a friend request",
        text="{actor} sent you a friend request",
        text_many="{actor} sent you friend requests",
        group=Group.KIND,
        group_url="/friends/#requests",
        order=10,
    ),
    NotificationKind(
        key=FRIEND_REQUEST_ACCEPTED,
        label="Someone accepts my friend request",
        text="{actor} accepted your friend request",
        text_many="{actor} accepted your friend requests",
        group=Group.KIND,
        group_url="/friends/",
        order=20,
    ),
    NotificationKind(
        key=INVITE_ACCEPTED,
        label="Someone I invited joins",
        text="{actor} joined through your invitation: you are now friends",
        text_many="{actor} joined through your invitations: you are now friends",
        group=Group.KIND,
        group_url="/friends/",
        order=30,
    ),
    NotificationKind(
        key=NEW_FOLLOWER,
        label="Someone follows me",
        text="{actor} started following you",
        group=Group.KIND,
        default_delivery=Delivery.DAILY,
        order=40,
    ),
    NotificationKind(
        key=ORDER_PLACED,
        label="My order is placed",
        text="Your order {number} is placed",
        default_delivery=Delivery.OFF,
        help_text=_ORDER_HELP,
        order=50,
    ),
    NotificationKind(
        key=ORDER_PAID,
        label="My order is paid",
        text="Your payment for order {number} went through",
        default_delivery=Delivery.OFF,
        help_text=_ORDER_HELP,
        order=51,
    ),
    NotificationKind(
        key=ORDER_SHIPPED,
        label="My order ships",
        text="Your order {number} has shipped",
        default_delivery=Delivery.OFF,
        help_text=_ORDER_HELP,
        order=52,
    ),
    NotificationKind(
        key=ORDER_REFUNDED,
        label="My order is refunded",
        text="Order {number}: {amount_text} refunded",
        default_delivery=Delivery.OFF,
        help_text=_ORDER_HELP,
        order=53,
    ),
    NotificationKind(
        key=DATA_EXPORT_READY,
        label="My data is ready to download",
        text="Your data is ready to download (the link works for 7 days)",
        email_subject="Your data is ready to download",
        # shop.accounts emails the download link itself.
        default_delivery=Delivery.OFF,
        help_text="We always email you the download link; this adds a second email.",
        order=60,
    ),
]


def standard_kinds_register() -> None:
    for kind in KINDS:
        notification_kind_register(kind)
