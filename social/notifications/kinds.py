"""The registry of notification kinds: what each is called, how it reads, how it groups and
how it is emailed by default.

An app that tells people something registers its kinds once, in its AppConfig.ready():

    notification_kind_register(NotificationKind(
        key="review_reply", label="A merchant answers my review",
        text="{actor} answered your review of {product}", group=Group.TARGET,
        default_delivery=Delivery.IMMEDIATE))

and then calls services.notification_notify(kind="review_reply", ...). Nothing here names
another app's kinds, so later apps (feed, reviews, wishlists, pools) add theirs without
touching this package.

TEXT is a format string over `actor` (the actor's name, or "Ana and 2 others" for a group,
when TEXT_MANY is used if given) and the notification's `data` (its snapshot: an order's
number), or a callable (actor=, data=, many=) -> str. GROUP says which notifications of the
kind show as one line: NONE (each alone), TARGET (those about the same object: "Ana and 2
others liked your review"), KIND (all of the kind: "Ana and 2 others accepted your friend
requests").
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from social.notifications.models import Delivery


class Group(StrEnum):
    NONE = "none"
    TARGET = "target"
    KIND = "kind"


@dataclass(frozen=True)
class NotificationKind:
    key: str
    # What the settings page says: "Someone sends me a friend request".
    label: str
    text: str | Callable[..., str]
    # The same for a line standing for several people ("{actor} sent you friend requests");
    # TEXT when empty.
    text_many: str = ""
    default_delivery: str = Delivery.IMMEDIATE
    group: Group = Group.NONE
    # The email's subject (the same format as TEXT); TEXT when empty.
    email_subject: str = ""
    # The email's templates, without extension (.txt and .html); the generic ones by default.
    email_template: str = "social/notifications/email/notification"
    # Where a group of several leads (KIND groups: /friends/); the newest one's url if empty.
    group_url: str = ""
    # Shown on the settings page under the label.
    help_text: str = ""
    order: int = 100

    def render(self, *, actor: str, data: dict, many: bool = False) -> str:
        """Return the line a person reads, ACTOR being the name(s) to show (MANY: of several)."""
        if callable(self.text):
            return self.text(actor=actor, data=data, many=many)
        text = self.text_many if many and self.text_many else self.text
        try:
            return text.format(actor=actor, **data)
        except (KeyError, IndexError, ValueError):
            # A snapshot missing a field must not break a page: say it without the detail.
            return self.label

    def subject(self, *, actor: str, data: dict) -> str:
        if not self.email_subject:
            return self.render(actor=actor, data=data)
        try:
            return self.email_subject.format(actor=actor, **data)
        except (KeyError, IndexError, ValueError):
            return self.label


_kinds: dict[str, NotificationKind] = {}


def notification_kind_register(kind: NotificationKind) -> NotificationKind:
    """Add KIND to the registry (or replace the one registered under its key: a reloaded app).

    Raises ValueError for a key that is not a short identifier or an unknown delivery.
    """
    if not kind.key or len(kind.key) > 50 or not kind.key.replace("_", "").isalnum():
        raise ValueError(f"A kind's key is letters, digits and underscores, not {kind.key!r}")
    if kind.default_delivery not in Delivery.values:
        raise ValueError(f"Kind {kind.key!r}: unknown delivery {kind.default_delivery!r}")
    _kinds[kind.key] = kind
    return kind


def notification_kind_get(key: str) -> NotificationKind | None:
    return _kinds.get(key)


def notification_kinds() -> list[NotificationKind]:
    """Return the registered kinds in the order the settings page lists them."""
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.label))
