"""The notification kinds of "ask my friends", registered from LikesConfig.ready()."""

from social.likes.ask_services import ASK_ANSWERED, ASK_RECEIVED
from social.notifications.kinds import Group, NotificationKind, notification_kind_register
from social.notifications.models import Delivery

KINDS = [
    NotificationKind(
        key=ASK_RECEIVED,
        label="A friend asks whether to buy something",
        text="{actor} asks: should I buy {product}?",
        default_delivery=Delivery.IMMEDIATE,
        order=70,
    ),
    NotificationKind(
        key=ASK_ANSWERED,
        label="A friend answers my question about a product",
        text="{actor} answered your question about {product}: {answer}",
        text_many="{actor} answered your question about {product}",
        group=Group.TARGET,
        default_delivery=Delivery.DAILY,
        order=71,
    ),
]


def ask_kinds_register() -> None:
    for kind in KINDS:
        notification_kind_register(kind)
