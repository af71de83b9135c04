"""Reads of notifications: the list (cursor paginated, grouped), the unread count, one
notification of its recipient, and preferences.

Whose name a person may read is the graph's to say: a notification whose actor is blocked
either way, or whose account is gone (inactive), is left out of every list and count
(social.graph.selectors.without_blocked), so a block hides the blocked person's name even
in what was said before it.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from shop.core.compiled_reads import PersonCount
from shop.core.cursors import TimeCursor, next_cursor, rows_after
from shop.core.validators import id_is_valid
from social.graph.selectors import without_blocked
from social.notifications.kinds import NotificationKind, notification_kind_get, notification_kinds
from social.notifications.models import Delivery, Notification, NotificationPreference

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def notification_visible(*, user) -> QuerySet[Notification]:
    """USER's notifications they may read: actor absent, or active and not blocked either way."""
    rows = Notification.objects.filter(recipient_id=user.pk).filter(
        Q(actor__isnull=True) | Q(actor__is_active=True)
    )
    return without_blocked(rows, viewer=user, person_field="actor")


@dataclass(frozen=True)
class _Person:
    """A signed-in person known by id only: what the compiled count is built for."""

    pk: int
    is_authenticated: bool = True


def _unread(user_id: int) -> QuerySet[Notification]:
    return notification_visible(user=_Person(pk=user_id)).filter(read_at__isnull=True)


# The bell's count (the header reads it with the other badges in one query).
UNREAD = PersonCount(name="notifications.unread", model=Notification, build=_unread)


def unread_count(*, viewer) -> int:
    """Return how many of VIEWER's notifications are unread: one query (the unread index),
    built once per connection (the header's bell reads it on every signed-in page)."""
    return UNREAD(viewer=viewer)


def notification_get_for_user(*, user, notification_id: int) -> Notification:
    """Return USER's notification NOTIFICATION_ID; Http404 if it is not theirs (or hidden)."""
    if not id_is_valid(notification_id):
        raise Http404("No such notification.")
    found = notification_visible(user=user).filter(pk=notification_id).first()
    if found is None:
        raise Http404("No such notification.")
    return found


# --- the grouped list -------------------------------------------------------------------------


@dataclass
class NotificationItem:
    """One line of the list: a notification, or several alike shown as one."""

    kind: NotificationKind | None
    newest: Notification
    notifications: list[Notification] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [n.pk for n in self.notifications]

    @property
    def unread(self) -> bool:
        return any(n.read_at is None for n in self.notifications)

    @property
    def actors(self) -> list:
        """The distinct people who did it, newest first."""
        seen, people = set(), []
        for n in self.notifications:
            if n.actor_id is not None and n.actor_id not in seen:
                seen.add(n.actor_id)
                people.append(n.actor)
        return people

    @property
    def actor_text(self) -> str:
        """ "Ana", "Ana and Ben", "Ana and 2 others" (or "" when no person did it)."""
        people = self.actors
        if not people:
            return ""
        first = people[0].public_name
        if len(people) == 1:
            return first
        if len(people) == 2:
            return f"{first} and {people[1].public_name}"
        return f"{first} and {len(people) - 1} others"

    @property
    def text(self) -> str:
        if self.kind is None:
            return "You have a notification."
        return self.kind.render(
            actor=self.actor_text, data=self.newest.data, many=len(self.actors) > 1
        )

    @property
    def url(self) -> str:
        if len(self.notifications) > 1 and self.kind is not None and self.kind.group_url:
            return self.kind.group_url
        return self.newest.url

    @property
    def created_at(self) -> datetime:
        return self.newest.created_at


@dataclass(frozen=True)
class NotificationPage:
    items: list[NotificationItem]
    next_cursor: str | None


def notification_items_group(notifications: list[Notification]) -> list[NotificationItem]:
    """Group NOTIFICATIONS (newest first) by their group key, each group where its newest is."""
    groups: dict[str, NotificationItem] = {}
    for n in notifications:
        item = groups.get(n.group_key)
        if item is None:
            item = groups[n.group_key] = NotificationItem(
                kind=notification_kind_get(n.kind), newest=n
            )
        item.notifications.append(n)
    return list(groups.values())


def notification_list(
    *, user, cursor: TimeCursor | None = None, size: int = PAGE_SIZE
) -> NotificationPage:
    """Return a page of USER's notifications, newest first, after CURSOR, grouped.

    One query whatever the page or the person's numbers: the page's rows with their actors
    (one more row says whether there is an older page). Grouping is over the page.
    """
    size = max(1, min(size, MAX_PAGE_SIZE))
    rows = notification_visible(user=user).select_related("actor")
    fetched = list(rows_after(rows, cursor).order_by("-created_at", "-id")[: size + 1])
    page, more = fetched[:size], len(fetched) > size
    return NotificationPage(
        items=notification_items_group(page), next_cursor=next_cursor(page, more=more)
    )


# --- preferences ------------------------------------------------------------------------------


def preferences_get(*, user) -> dict[str, str]:
    """Return USER's email delivery of every registered kind (their choice, else the kind's
    default), in the order the settings page lists them. One query."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id=user.pk).values_list("kind", "delivery")
    )
    return {
        kind.key: chosen.get(kind.key, kind.default_delivery)
        for kind in notification_kinds()
        if chosen.get(kind.key, kind.default_delivery) in Delivery.values
    }


def preference_for(*, user_id: int, kind: str) -> str:
    """Return the email delivery of KIND for the person USER_ID (one query)."""
    chosen = (
        NotificationPreference.objects.filter(user_id=user_id, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    )
    if chosen is not None:
        return chosen
    registered = notification_kind_get(kind)
    return registered.default_delivery if registered else Delivery.OFF
