"""The notification kinds of "ask my friends about my list", registered from
WishlistsConfig.ready()."""

from gifting.wishlists.ask_services import ASK_ANSWERED, ASK_RECEIVED
from social.notifications.kinds import Group, NotificationKind, notification_kind_register
from social.notifications.models import Delivery

KINDS = [
    NotificationKind(
        key=ASK_RECEIVED,
        label="A friend asks which gift to pick from their wishlist",
        text="{actor} asks which gift to pick on “{title}”",
        default_delivery=Delivery.IMMEDIATE,
        order=75,
    ),
    NotificationKind(
        key=ASK_ANSWERED,
        label="A friend answers about my wishlist",
        text="{actor} answered about “{title}”",
        # One line per list: "Ben and 2 others answered about “Birthday”".
        group=Group.TARGET,
        default_delivery=Delivery.DAILY,
        order=76,
    ),
]


def ask_kinds_register() -> None:
    for kind in KINDS:
        notification_kind_register(kind)
