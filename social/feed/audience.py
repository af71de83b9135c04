"""Who an activity goes to, and which of an actor's activities a person may have in their
feed: querysets built from the graph's audience rule (friends, followers, blocks both ways),
for the fan-out and for copying recent activities into a new friend's or follower's feed.

The rule itself lives in social.graph.selectors; this module only says which people are an
activity's audience in the graph's terms: FRIENDS and LINK reach the actor's friends, PUBLIC
their friends and followers (a merchant's: its followers), PRIVATE no one but the people it
was shared with by name, and never anyone blocked either way with the actor.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import BigIntegerField, Exists, OuterRef, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone

from shop.core.visibility import Visibility
from social.feed.models import Activity, ActivityRecipient
from social.graph.models import Block, Follow, Friendship
from social.graph.selectors import audience_filter, friend_ids_of, without_blocked

User = get_user_model()


@dataclass(frozen=True)
class AudienceChunk:
    """One chunk of a fan-out: WINDOW, the candidate ids it goes through (by id, at most the
    chunk's size), and RECIPIENTS, those of them whose feeds get the activity (WINDOW itself
    when every candidate is one)."""

    window: QuerySet
    recipients: QuerySet
    # The window and one more candidate: whether any is left after this chunk.
    lookahead: QuerySet


def feed_setting(name: str) -> int:
    """A FEED_* setting, read when used (never at import)."""
    defaults = {
        "FEED_ACTIVE_DAYS": 7,
        "FEED_PULL_THRESHOLD": 10_000,
        "FEED_MAX_ITEMS": 800,
        "FEED_FANOUT_CHUNK": 5000,
        "FEED_COPY_RECENT": 50,
    }
    return int(getattr(settings, name, defaults[name]))


def active_since():
    return timezone.now() - timedelta(days=feed_setting("FEED_ACTIVE_DAYS"))


def follower_ids_of(*, person=None, merchant=None) -> QuerySet:
    """The ids of the people following PERSON or MERCHANT, as a subquery."""
    if merchant is not None:
        return Follow.objects.filter(merchant_id=merchant.pk).values("follower_id")
    return Follow.objects.filter(person_id=person.pk).values("follower_id")


def follower_count(*, actor=None, merchant=None) -> int:
    if merchant is not None:
        return Follow.objects.filter(merchant_id=merchant.pk).count()
    return Follow.objects.filter(person_id=actor.pk).count()


def activity_audience(*, activity: Activity, active_only: bool = True) -> QuerySet:
    """The people whose feeds ACTIVITY goes to (without the actor), as a User queryset."""
    people = User.objects.filter(is_active=True)
    if active_only:
        people = people.filter(last_login__gte=active_since())
    if activity.has_recipients:
        people = people.filter(
            Exists(
                ActivityRecipient.objects.filter(activity_id=activity.pk, user_id=OuterRef("pk"))
            )
        )
    elif activity.merchant_id is not None:
        if activity.visibility != Visibility.PUBLIC:
            return User.objects.none()
        return people.filter(pk__in=follower_ids_of(merchant=activity.merchant))
    elif activity.visibility == Visibility.PUBLIC:
        people = people.filter(
            Q(pk__in=friend_ids_of(user=activity.actor))
            | Q(pk__in=follower_ids_of(person=activity.actor))
        )
    elif activity.visibility in (Visibility.FRIENDS, Visibility.LINK):
        people = people.filter(pk__in=friend_ids_of(user=activity.actor))
    else:
        return User.objects.none()
    if activity.hidden_from_id is not None:
        people = people.exclude(pk=activity.hidden_from_id)
    if activity.actor_id is None:
        return people
    return without_blocked(people.exclude(pk=activity.actor_id), viewer=activity.actor)


def _audience_candidates(*, activity: Activity, after) -> tuple[QuerySet, bool]:
    """The ids above AFTER, in order, that a chunk of ACTIVITY's fan-out goes through, and
    whether they still need filtering into its audience.

    An activity for friends walks the actor's friendships along the (user, friend) index
    from AFTER on, so each chunk reads its own rows only, however big the audience (the
    audience rule then keeps those active and not blocked); any other walks its audience by
    id."""
    if (
        activity.actor_id is not None
        and not activity.has_recipients
        and activity.visibility in (Visibility.FRIENDS, Visibility.LINK)
    ):
        friendships = Friendship.objects.filter(user_id=activity.actor_id, friend_id__gt=after)
        return friendships.order_by("friend_id").values_list("friend_id", flat=True), True
    audience = activity_audience(activity=activity).filter(pk__gt=after)
    return audience.order_by("pk").values_list("pk", flat=True), False


def activity_audience_chunk(*, activity: Activity, after, chunk: int) -> AudienceChunk:
    """The next chunk of ACTIVITY's fan-out after the id AFTER (an id, or an expression the
    query reads it from, e.g. the activity's cursor): the window of at most CHUNK
    candidate ids it goes through (the cursor moves to their largest) and, among them, the
    ids of the people whose feeds it goes to (both one-column querysets)."""
    candidates, needs_filter = _audience_candidates(activity=activity, after=after)
    window, lookahead = candidates[:chunk], candidates[: chunk + 1]
    if not needs_filter:
        return AudienceChunk(window=window, recipients=window, lookahead=lookahead)
    people = User.objects.filter(
        pk__in=window, is_active=True, last_login__gte=active_since()
    ).exclude(pk=activity.actor_id)
    if activity.hidden_from_id is not None:
        people = people.exclude(pk=activity.hidden_from_id)
    recipients = without_blocked(people, viewer=activity.actor).values_list("pk", flat=True)
    return AudienceChunk(window=window, recipients=recipients, lookahead=lookahead)


def activities_visible_to(*, viewer, queryset: QuerySet, prefix: str = "") -> QuerySet:
    """Keep the rows of QUERYSET (activities, or rows pointing to one at PREFIX, e.g.
    "activity__") whose activity VIEWER may see by the audience rule: a merchant's public
    ones, a person's by their visibility (blocks both ways hide all), and those shared with
    VIEWER by name (blocks still hide them); never one hidden from VIEWER. One query."""
    activity_pk = f"{prefix}pk" if prefix else "pk"
    shared_with_viewer = Exists(
        ActivityRecipient.objects.filter(activity_id=OuterRef(activity_pk), user_id=viewer.pk)
    )
    by_merchant = queryset.filter(
        **{
            f"{prefix}merchant__isnull": False,
            f"{prefix}has_recipients": False,
            f"{prefix}visibility": Visibility.PUBLIC,
        }
    )
    by_people = audience_filter(
        queryset.filter(**{f"{prefix}actor__isnull": False, f"{prefix}has_recipients": False}),
        viewer=viewer,
        owner_field=f"{prefix}actor",
        visibility_field=f"{prefix}visibility",
    )
    by_name = without_blocked(
        queryset.filter(**{f"{prefix}has_recipients": True}).filter(
            Q(**{f"{prefix}actor_id": viewer.pk}) | shared_with_viewer
        ),
        viewer=viewer,
        person_field=f"{prefix}actor",
    )
    visible = queryset.filter(
        Q(pk__in=by_merchant.values("pk"))
        | Q(pk__in=by_people.values("pk"))
        | Q(pk__in=by_name.values("pk"))
    )
    if viewer is not None and getattr(viewer, "is_authenticated", False):
        visible = visible.exclude(**{f"{prefix}hidden_from_id": viewer.pk})
    return _without_blocked_friends_named(visible, viewer=viewer, prefix=prefix)


def _without_blocked_friends_named(queryset: QuerySet, *, viewer, prefix: str) -> QuerySet:
    """Leave out "X became friends with Y" activities whose Y (the snapshot's friend_id) is
    blocked either way with VIEWER: a block hides a person's name everywhere, also when it
    is a friend of theirs who made the activity."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return queryset
    friend_named = Cast(KeyTextTransform("friend_id", f"{prefix}snapshot"), BigIntegerField())
    blocked = Q(_named_friend__in=Block.objects.filter(blocker_id=viewer.pk).values("blocked_id"))
    blocking = Q(_named_friend__in=Block.objects.filter(blocked_id=viewer.pk).values("blocker_id"))
    return queryset.alias(_named_friend=friend_named).exclude(
        Q(**{f"{prefix}verb": Activity.Verb.FRIENDSHIP}, _named_friend__isnull=False)
        & (blocked | blocking)
    )


def activities_followed_by(*, viewer, pulled_only: bool = False) -> QuerySet:
    """The activities of the people and merchants VIEWER is friends with or follows (and
    those shared with VIEWER by name), visible to VIEWER: what a feed built by pulling shows."""
    from_sources = Activity.objects.filter(
        Q(actor_id__in=friend_ids_of(user=viewer))
        | Q(actor_id__in=Follow.objects.filter(follower_id=viewer.pk).values("person_id"))
        | Q(merchant_id__in=Follow.objects.filter(follower_id=viewer.pk).values("merchant_id"))
        | Exists(ActivityRecipient.objects.filter(activity_id=OuterRef("pk"), user_id=viewer.pk))
    )
    if pulled_only:
        from_sources = from_sources.filter(pulled=True)
    return activities_visible_to(viewer=viewer, queryset=from_sources)
