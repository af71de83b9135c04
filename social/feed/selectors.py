"""Reading feeds: a page of a person's feed (newest first, by cursor), aggregated at read
time, and how many items came since a moment.

A page is read from the person's FeedItems, filtered again by the audience rule (a datum
made private later or an actor blocked since never shows), merged with the recent
activities of big accounts they follow (pulled, never fanned out), or, while a returning
person's feed is being rebuilt, pulled entirely from the people they follow. Each source is
one query whatever the page's size; actors and merchants come with it (select_related), and
everything shown comes from the activity's snapshot.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

from django.db.models import QuerySet
from django.utils import timezone

from shop.core.cursors import TimeCursor, next_cursor, rows_after
from social.feed.audience import activities_followed_by, activities_visible_to
from social.feed.models import Activity, FeedItem, FeedState

PAGE_SIZE = 20
PROFILE_SIZE = 10  # activities on a person's page


def _utc(when: datetime) -> datetime | None:
    """WHEN in UTC (the database refuses far-fetched offsets), or None if it has no zone.
    Raises OverflowError at the ends of the calendar."""
    if timezone.is_naive(when):
        return None
    return when.astimezone(UTC)


@dataclass
class FeedEntry:
    """One entry of a page: one activity, or several of one actor and verb grouped
    ("Ben bought 3 things from Outdoor Co"), or several people's same verb on one product
    ("Ana and 3 friends liked Trail Jacket")."""

    verb: str
    activities: list[Activity]
    actors: list = field(default_factory=list)  # people (or empty for a merchant)
    merchant: object = None
    # What the app behind the verb adds under the entry for this viewer (safe HTML from a
    # feed_entry_extra_register function: the answer form of an ask), or "".
    extra: str = ""

    @property
    def first(self) -> Activity:
        return self.activities[0]

    @property
    def created_at(self):
        return self.first.created_at

    @property
    def others_count(self) -> int:
        return max(0, len(self.actors) - 1)

    @cached_property
    def products(self) -> list[dict]:
        """The distinct objects of the entry, each a snapshot and whether it is gone (made
        once per entry: the page's cards add their decorations to them)."""
        seen, shown = set(), []
        for activity in self.activities:
            key = activity.product_id or activity.snapshot.get("url") or activity.pk
            if key in seen:
                continue
            seen.add(key)
            shown.append(
                {
                    **activity.snapshot,
                    "available": activity.product_id is not None
                    or activity.verb in (Activity.Verb.FRIENDSHIP, Activity.Verb.WISHLIST),
                    "product_id": activity.product_id,
                }
            )
        return shown

    @property
    def merchant_names(self) -> list[str]:
        return sorted({a.snapshot.get("merchant", "") for a in self.activities} - {""})


@dataclass
class FeedPage:
    entries: list[FeedEntry]
    next_cursor: str | None
    rebuilding: bool = False


def _activities(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("actor", "merchant")


def feed_state_get(*, user) -> FeedState | None:
    return FeedState.objects.filter(user_id=user.pk).first()


def feed_activities(*, viewer, cursor: TimeCursor | None = None, size: int = PAGE_SIZE) -> tuple:
    """Return (the next SIZE activities of VIEWER's feed after CURSOR, newest first; whether
    there are more; whether the feed is being rebuilt). Three queries at most."""
    state = feed_state_get(user=viewer)
    rebuilding = state is not None and state.rebuilding
    if rebuilding:
        pulled = activities_followed_by(viewer=viewer)
        pushed = []
    else:
        items = activities_visible_to(
            viewer=viewer, queryset=FeedItem.objects.filter(owner_id=viewer.pk), prefix="activity__"
        )
        items = rows_after(items, cursor, id_field="activity_id").order_by(
            "-created_at", "-activity_id"
        )
        pushed = [
            item.activity
            for item in items.select_related("activity__actor", "activity__merchant")[: size + 1]
        ]
        pulled = activities_followed_by(viewer=viewer, pulled_only=True)
    pulled = list(
        _activities(rows_after(pulled, cursor)).order_by("-created_at", "-id")[: size + 1]
    )
    merged = {a.pk: a for a in pushed + pulled}
    ordered = sorted(merged.values(), key=lambda a: (a.created_at, a.pk), reverse=True)
    return ordered[:size], len(ordered) > size, rebuilding


def _group(activities: list[Activity]) -> list[FeedEntry]:
    """Group a page's activities: one actor's purchases or new products together (and what
    they added to one wishlist), several people's like/share of one product together; the
    rest one entry each. Order kept by
    each group's newest activity."""
    entries: list[FeedEntry] = []
    by_key: dict[tuple, FeedEntry] = {}
    for activity in activities:
        if activity.verb in (Activity.Verb.PURCHASE, Activity.Verb.NEW_PRODUCT):
            key = (activity.verb, "actor", activity.actor_id, activity.merchant_id)
        elif activity.verb in (Activity.Verb.LIKE, Activity.Verb.SHARE) and activity.product_id:
            key = (activity.verb, "product", activity.product_id)
        elif activity.verb == Activity.Verb.WISH:
            # What one person added to one list, together.
            place = (activity.snapshot.get("wishlist") or {}).get("url", "")
            key = (activity.verb, "actor", activity.actor_id, place)
        else:
            key = ("single", activity.pk)
        entry = by_key.get(key)
        if entry is None:
            entry = FeedEntry(verb=activity.verb, activities=[], merchant=activity.merchant)
            by_key[key] = entry
            entries.append(entry)
        entry.activities.append(activity)
        if activity.actor is not None and all(p.pk != activity.actor_id for p in entry.actors):
            entry.actors.append(activity.actor)
    return entries


# verb -> fn(*, viewer, activities) -> {activity id: safe HTML}: what a later app adds under
# its entries (the feed knows no app above it).
_entry_extras: dict[str, Callable[..., Mapping[int, str]]] = {}


def feed_entry_extra_register(*, verb: str, extra: Callable[..., Mapping[int, str]]) -> None:
    """Have EXTRA(viewer=, activities=) add per-viewer HTML under the entries of VERB (an ask's
    answer form). It is called once per page with every entry's first activity of that verb
    and must answer in a constant number of queries; register it from an AppConfig.ready()."""
    _entry_extras[verb] = extra


def feed_entry_extra_verbs() -> frozenset[str]:
    """The verbs whose entries get a registered extra."""
    return frozenset(_entry_extras)


def feed_extras_for(*, viewer, activities: list[Activity]) -> dict[int, str]:
    """The registered extras of ACTIVITIES (each an entry's first activity) for VIEWER,
    {activity id: safe HTML}: one call per verb on the page. An extra reads only the
    activity's id (pk), verb and snapshot: the cached feed page keeps no more of it and hands
    its slots (social.feed.page_cache.ExtraSlot) in place of the activities."""
    found: dict[int, str] = {}
    for verb, extra in _entry_extras.items():
        of_verb = [activity for activity in activities if activity.verb == verb]
        if of_verb:
            found.update(extra(viewer=viewer, activities=of_verb))
    return found


def _extras_fill(entries: list[FeedEntry], *, viewer) -> None:
    found = feed_extras_for(viewer=viewer, activities=[entry.first for entry in entries])
    for entry in entries:
        if entry.verb in _entry_extras:
            entry.extra = found.get(entry.first.pk, "")


def feed_page(
    *, viewer, cursor: str | None = None, size: int | None = None, fill_extras: bool = True
) -> FeedPage:
    """Return a page of VIEWER's feed after CURSOR (an encoded TimeCursor; None or a malformed
    one: the first page), aggregated, with the cursor of the next page (None at the end).
    Constant queries whatever the page's size (plus, with FILL_EXTRAS, one call of each
    registered entry extra whose verb is on the page)."""
    size = max(1, size or PAGE_SIZE)
    activities, more, rebuilding = feed_activities(
        viewer=viewer, cursor=TimeCursor.decode(cursor), size=size
    )
    entries = _group(activities)
    if fill_extras:
        _extras_fill(entries, viewer=viewer)
    return FeedPage(
        entries=entries, next_cursor=next_cursor(activities, more=more), rebuilding=rebuilding
    )


def feed_new_count(*, viewer, since: datetime | None) -> int:
    """How many items VIEWER's feed received that happened after SINCE (what the "N new"
    prompt counts: rows the fan-out has written). One query."""
    if since is None:
        return 0
    items = FeedItem.objects.filter(owner_id=viewer.pk, created_at__gt=since)
    return activities_visible_to(viewer=viewer, queryset=items, prefix="activity__").count()


def since_parse(value: str | None) -> datetime | None:
    """The moment an "N new" poll counts from (ISO 8601 with a zone), or None."""
    if not value or not isinstance(value, str) or len(value) > 40:
        return None
    try:
        return _utc(datetime.fromisoformat(value.replace(" ", "+")))
    except (ValueError, OverflowError):
        return None


def person_activities(*, viewer, person, size: int = PAGE_SIZE) -> list[Activity]:
    """PERSON's own newest activities that VIEWER may see (their profile's activity)."""
    own = Activity.objects.filter(actor_id=person.pk)
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        from shop.core.visibility import Visibility

        own = own.filter(visibility=Visibility.PUBLIC, has_recipients=False)
    else:
        own = activities_visible_to(viewer=viewer, queryset=own)
    return list(_activities(own).order_by("-created_at", "-id")[:size])


def person_activity_page(*, viewer, person, size: int = PROFILE_SIZE) -> FeedPage:
    """PERSON's newest SIZE activities that VIEWER (a user, or None for a visitor) may see,
    grouped as the feed groups them: their profile's Activity section. One query."""
    activities = person_activities(viewer=viewer, person=person, size=size)
    return FeedPage(entries=_group(activities), next_cursor=None)
