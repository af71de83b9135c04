"""Every write of the feed: recording activities, fanning them out, removing them from
feeds that may no longer show them, copying recent ones into a new friend's feed,
rebuilding a returning person's feed, and trimming feeds to FEED_MAX_ITEMS.

The fan-out is set-based: one INSERT … SELECT per chunk of recipients on PostgreSQL (the
items already there left out by an anti-join; bulk_create(ignore_conflicts=True)
elsewhere), the recipients ordered by id and the last id done kept on the activity
(fanout_cursor) in the chunk's own transaction, so a task killed after a chunk and run again
resumes there, and a feed never holds an activity twice (the primary key (activity,
owner)).
"""

import logging
from contextlib import contextmanager
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Subquery
from django.utils import timezone

from shop.core.outbox import outbox_record
from shop.core.visibility import Visibility
from social.feed.audience import (
    active_since,
    activities_followed_by,
    activities_visible_to,
    activity_audience,
    activity_audience_chunk,
    feed_setting,
    follower_count,
)
from social.feed.models import Activity, ActivityRecipient, FeedItem, FeedState
from social.feed.page_cache import feed_activities_changed, feed_viewers_changed

logger = logging.getLogger(__name__)

FANOUT_TOPIC = "feed.fanout"
REBUILD_TOPIC = "feed.rebuild"

SNAPSHOT_KEYS = ("title", "image_url", "price", "currency", "url")


def product_snapshot(
    product, *, price: int | None, currency: str, variant_id: int | None = None
) -> dict:
    """The snapshot of PRODUCT an activity keeps: title, first picture, PRICE (minor units),
    CURRENCY and address, as they are now, and VARIANT_ID, the variant a card's "Add to
    cart" adds (the one bought, or a product's only one; without it the card links to the
    product to choose). Its images should be prefetched."""
    images = list(product.images.all())
    picture = (images[0].thumbnail or images[0].image) if images else None
    return {
        "title": product.title,
        "image_url": picture.url if picture else "",
        "price": price,
        "currency": currency,
        "url": product.get_absolute_url(),
        "merchant": product.merchant.name,
        "variant_id": variant_id,
    }


@transaction.atomic
def activity_record(
    *,
    verb: str,
    actor=None,
    merchant=None,
    product=None,
    snapshot: dict,
    visibility: str,
    recipients: list[int] | None = None,
    dedupe_key: str,
    hidden_from=None,
) -> Activity:
    """Record what ACTOR (a user) or MERCHANT did and fan it out once this commits.

    VISIBILITY decides who gets it (the audience rule); RECIPIENTS, a list of user ids,
    shares it with those people only (still never with anyone blocked either way).
    HIDDEN_FROM, a user, never sees it whatever the audience (a surprise's recipient).
    Recording the same DEDUPE_KEY again returns the first activity and changes nothing.
    Raises ValueError for an unknown verb or visibility, or not exactly one of actor and
    merchant.
    """
    if verb not in Activity.Verb.values:
        raise ValueError(f"Unknown activity verb {verb!r}")
    if visibility not in Visibility.values:
        raise ValueError(f"Unknown visibility {visibility!r}")
    if (actor is None) == (merchant is None):
        raise ValueError("An activity has an actor or a merchant, not both nor neither.")
    found = Activity.objects.filter(dedupe_key=dedupe_key).first()
    if found is not None:
        return found
    activity, created = Activity.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "verb": verb,
            "actor": actor,
            "merchant": merchant,
            "product": product,
            "snapshot": dict(snapshot),
            "visibility": visibility,
            "has_recipients": recipients is not None,
            "hidden_from": hidden_from,
        },
    )
    if not created:
        return activity
    if recipients:
        ActivityRecipient.objects.bulk_create(
            [ActivityRecipient(activity=activity, user_id=user_id) for user_id in set(recipients)],
            ignore_conflicts=True,
        )
    big = follower_count(actor=actor, merchant=merchant) > feed_setting("FEED_PULL_THRESHOLD")
    if big and recipients is None:
        # Too many followers to push to: their feeds pull it at read time.
        Activity.objects.filter(pk=activity.pk).update(pulled=True)
        activity.pulled = True
    outbox_record(topic=FANOUT_TOPIC, payload={"activity_id": activity.pk})
    return activity


_FANOUT_CHUNK_SQL = """
    WITH lookahead (id) AS MATERIALIZED ({lookahead}),
    candidates AS MATERIALIZED (SELECT id FROM lookahead ORDER BY id LIMIT %s),
    recipients (owner_id) AS MATERIALIZED ({recipients}),
    moved AS (
        UPDATE feed_activity
        SET fanout_cursor = COALESCE((SELECT MAX(id) FROM candidates), fanout_cursor),
            fanned_out_at = CASE WHEN (SELECT COUNT(*) FROM lookahead) > %s THEN NULL ELSE %s END
        WHERE id = %s AND fanout_cursor = %s AND fanned_out_at IS NULL
        RETURNING fanout_cursor, fanned_out_at
    ),
    present AS MATERIALIZED (
        -- This activity's items already in the window's feeds: a range of its primary key.
        SELECT owner_id FROM feed_feeditem
        WHERE activity_id = %s AND owner_id > %s AND owner_id <= (SELECT MAX(id) FROM candidates)
    ),
    inserted AS (
        -- Only while the activity is there, its row locked by the UPDATE above.
        INSERT INTO feed_feeditem (activity_id, owner_id, created_at)
        SELECT %s, owner_id, %s FROM recipients
        WHERE EXISTS (SELECT 1 FROM moved) AND owner_id NOT IN (SELECT owner_id FROM present)
        {on_conflict}
    )
    SELECT EXISTS (SELECT 1 FROM moved), (SELECT COUNT(*) FROM recipients),
           (SELECT fanout_cursor FROM moved), (SELECT fanned_out_at FROM moved)
"""


def _fanout_chunker_postgresql(*, activity: Activity, chunk: int):
    """Return fanout_chunk(activity=, after=, chunk=), which fans ACTIVITY out to the
    recipients among the next CHUNK candidate ids above AFTER and moves its cursor, in ONE
    statement (its own transaction when none is open): the window of candidates read along
    an index, the cursor's UPDATE, made only if the cursor is still at AFTER (a second run at
    the same time then moves nothing and resumes from where the first one got), and the
    set-based INSERT … SELECT, made only if the UPDATE was (so never for an activity deleted
    or finished meanwhile). It returns (whether the cursor moved, how many recipients, the
    cursor now, whether done).

    The statement is compiled once for every chunk of the run: the window starts after the
    cursor the statement reads from the activity's row (AFTER is what the UPDATE expects it
    to be). The INSERT leaves out the items already there (a run from an earlier cursor, a
    new friend's copy, a rebuild) by an anti-join over the window's range of the primary
    key, rather than by ON CONFLICT DO NOTHING, whose speculative insertion costs about as
    much again per row. An item inserted by another transaction still running when the
    statement read (so not seen) makes the INSERT fail on the primary key: that chunk is
    then made again with ON CONFLICT DO NOTHING (nothing of the failed attempt stays)."""
    cursor_in_row = Subquery(Activity.objects.filter(pk=activity.pk).values("fanout_cursor"))
    part = activity_audience_chunk(activity=activity, after=cursor_in_row, chunk=chunk)
    lookahead_sql, lookahead_params = part.lookahead.query.sql_with_params()
    if part.recipients is part.window:
        recipients_sql, recipients_params = "SELECT id FROM candidates", ()
    else:
        recipients_sql, recipients_params = part.recipients.query.sql_with_params()
    statements = {
        on_conflict: _FANOUT_CHUNK_SQL.format(
            lookahead=lookahead_sql, recipients=recipients_sql, on_conflict=on_conflict
        )
        for on_conflict in ("", "ON CONFLICT (activity_id, owner_id) DO NOTHING")
    }

    def run(after: int, on_conflict: str = "") -> tuple:
        params = [
            *lookahead_params,
            chunk,
            *recipients_params,
            chunk,
            timezone.now(),
            activity.pk,
            after,
            activity.pk,
            after,
            activity.pk,
            activity.created_at,
        ]
        with connection.cursor() as cursor:
            cursor.execute(statements[on_conflict], params)
            moved, count, cursor_now, finished_at = cursor.fetchone()
        return moved, count, cursor_now, finished_at is not None

    def fanout_chunk(*, activity: Activity, after: int, chunk: int) -> tuple:
        try:
            if not connection.in_atomic_block:
                return run(after)
            with transaction.atomic():  # a savepoint, so the retry can follow in the block
                return run(after)
        except IntegrityError:
            return run(after, on_conflict="ON CONFLICT (activity_id, owner_id) DO NOTHING")

    return fanout_chunk


def _fanout_chunk_portable(*, activity: Activity, after: int, chunk: int) -> tuple:
    """A chunk as _fanout_chunker_postgresql's, with the ORM (SQLite): bulk_create of the
    chunk's recipients (ignore_conflicts), the cursor under its row lock, one transaction."""
    with transaction.atomic():
        now_at = (
            Activity.objects.select_for_update()
            .filter(pk=activity.pk)
            .values_list("fanout_cursor", "fanned_out_at")
            .first()
        )
        if now_at is None:  # deleted meanwhile: nothing left to do
            return False, 0, after, True
        if now_at != (after, None):
            return False, 0, now_at[0], now_at[1] is not None
        part = activity_audience_chunk(activity=activity, after=after, chunk=chunk)
        candidates = list(part.lookahead)
        window = candidates[:chunk]
        ids = window if part.recipients is part.window else list(part.recipients)
        FeedItem.objects.bulk_create(
            [
                FeedItem(owner_id=i, activity_id=activity.pk, created_at=activity.created_at)
                for i in ids
            ],
            ignore_conflicts=True,
        )
        finished = len(candidates) <= chunk
        cursor_now = max(window) if window else after
        Activity.objects.filter(pk=activity.pk).update(
            fanout_cursor=cursor_now, fanned_out_at=timezone.now() if finished else None
        )
    return True, len(ids), cursor_now, finished


def _after_chunk(*, activity: Activity, done: int) -> None:
    """Called after each chunk commits (tests stop the fan-out here to retry it)."""


def activity_fanout(*, activity_id: int) -> int:
    """Deliver the activity to the feeds of its audience who were active lately, in chunks
    of FEED_FANOUT_CHUNK candidates, each chunk and its cursor in one transaction (one
    statement on PostgreSQL); resume from the cursor when run again. Safe to run twice, even
    at once; a pulled activity is not pushed. Returns how many recipients this run reached."""
    activity = Activity.objects.select_related("actor", "merchant").filter(pk=activity_id).first()
    if activity is None or activity.fanned_out_at is not None or activity.pulled:
        return 0
    chunk_size = feed_setting("FEED_FANOUT_CHUNK")
    if connection.vendor == "postgresql":
        fanout_chunk = _fanout_chunker_postgresql(activity=activity, chunk=chunk_size)
    else:
        fanout_chunk = _fanout_chunk_portable
    with _fanout_commits():
        return _fanout_run(activity=activity, chunk_size=chunk_size, fanout_chunk=fanout_chunk)


@contextmanager
def _fanout_commits():
    """On PostgreSQL, let the fan-out's chunks commit without waiting for their WAL to reach
    the disk (synchronous_commit off, for this connection while the fan-out runs; restored
    after). Feed items are derived data: a database crash can lose the last fraction of a
    second of chunks, always together with the cursor moves committed with them (commits are
    replayed in order), so the activity reads as unfinished and feed_fanouts_resume (beat)
    runs it again from its cursor. Nothing else is committed under this setting."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _fanout_run(*, activity: Activity, chunk_size: int, fanout_chunk) -> int:
    after, done = activity.fanout_cursor, 0
    while True:
        moved, count, cursor_now, finished = fanout_chunk(
            activity=activity, after=after, chunk=chunk_size
        )
        if moved:
            done += count
        else:
            # Another run moved the cursor meanwhile (it counts those): go on from there.
            state = Activity.objects.filter(pk=activity.pk).values_list(
                "fanout_cursor", "fanned_out_at"
            )
            cursor_now, finished_at = state.first() or (after, timezone.now())
            finished = finished_at is not None
        if finished:
            return done
        after = cursor_now
        if moved:
            _after_chunk(activity=activity, done=done)


def fanouts_resume(*, stalled_after: timedelta = timedelta(minutes=5), limit: int = 200) -> int:
    """Beat: finish the fan-outs left unfinished for STALLED_AFTER (a worker killed half-way,
    a task lost, chunks lost in a database crash), from their cursors, oldest first, at most
    LIMIT; those older than FEED_ACTIVE_DAYS are left to the rebuilds. Safe beside a run
    still going (the cursor only moves forward). Returns how many were resumed."""
    now = timezone.now()
    stalled = (
        Activity.objects.filter(
            fanned_out_at__isnull=True,
            pulled=False,
            created_at__lt=now - stalled_after,
            created_at__gte=active_since(),
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    ids = list(stalled)
    for activity_id in ids:
        activity_fanout(activity_id=activity_id)
    return len(ids)


# --- removing ---------------------------------------------------------------------------------


def activity_delete(*, dedupe_key: str) -> int:
    """Delete the activity recorded under DEDUPE_KEY, and with it every feed's item."""
    activities = Activity.objects.filter(dedupe_key=dedupe_key)
    feed_activities_changed(activities=activities)
    return activities.delete()[0]


def activities_delete(*, dedupe_keys: list[str]) -> int:
    """Delete the activities recorded under DEDUPE_KEYS, and with them every feed's item."""
    activities = Activity.objects.filter(dedupe_key__in=dedupe_keys)
    feed_activities_changed(activities=activities)
    return activities.delete()[0]


def activities_for_object_delete(*, verb: str, actor, product) -> int:
    """Delete ACTOR's activities of VERB about PRODUCT (an unlike), from every feed."""
    activities = Activity.objects.filter(verb=verb, actor_id=actor.pk, product_id=product.pk)
    feed_activities_changed(activities=activities)
    return activities.delete()[0]


def feed_items_of_actor_remove(*, owner_id: int, actor_id: int, keep_public: bool) -> int:
    """Remove ACTOR_ID's activities from OWNER_ID's feed (an unfriend, unfollow or block);
    KEEP_PUBLIC keeps the public ones not shared by name (the owner still follows them)."""
    feed_viewers_changed(user_ids=[owner_id])
    items = FeedItem.objects.filter(owner_id=owner_id, activity__actor_id=actor_id)
    if keep_public:
        items = items.exclude(
            activity__visibility=Visibility.PUBLIC, activity__has_recipients=False
        )
    return items.delete()[0]


def feed_items_of_merchant_remove(*, owner_id: int, merchant_id: int) -> int:
    feed_viewers_changed(user_ids=[owner_id])
    return FeedItem.objects.filter(owner_id=owner_id, activity__merchant_id=merchant_id).delete()[0]


def activity_visibility_change(*, actor, verb: str, visibility: str) -> int:
    """Give ACTOR's activities of VERB (not those shared by name) VISIBILITY, and remove them
    from every feed whose owner may no longer see them (set-based). Returns items removed."""
    activities = Activity.objects.filter(actor_id=actor.pk, verb=verb, has_recipients=False)
    feed_activities_changed(activities=activities)
    activities.update(visibility=visibility)
    items = FeedItem.objects.filter(activity__in=activities)
    if visibility == Visibility.PRIVATE:
        return items.delete()[0]
    audience = activity_audience(
        activity=Activity(actor=actor, verb=verb, visibility=visibility), active_only=False
    )
    return items.exclude(owner_id__in=audience.values("pk")).delete()[0]


# --- copying, rebuilding, trimming ------------------------------------------------------------


def _items_insert(*, owner_id: int, activities) -> int:
    rows = [
        FeedItem(owner_id=owner_id, activity_id=pk, created_at=created_at)
        for pk, created_at in activities.values_list("pk", "created_at")
    ]
    FeedItem.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def feed_recent_copy(*, owner, actor=None, merchant=None) -> int:
    """Copy ACTOR's (or MERCHANT's) recent activities that OWNER may see into OWNER's feed
    (a new friend or follow), at most FEED_COPY_RECENT. Safe to run twice."""
    if merchant is not None:
        source = Activity.objects.filter(merchant_id=merchant.pk, pulled=False)
    else:
        source = Activity.objects.filter(actor_id=actor.pk, pulled=False)
    visible = activities_visible_to(viewer=owner, queryset=source).order_by("-created_at", "-id")
    # Older than the feed's newest item, they would not move the feed page's version.
    feed_viewers_changed(user_ids=[owner.pk])
    return _items_insert(owner_id=owner.pk, activities=visible[: feed_setting("FEED_COPY_RECENT")])


def feed_rebuild(*, user_id: int) -> int:
    """Fill USER_ID's feed with the newest activities of the people and merchants they are
    friends with or follow (up to FEED_MAX_ITEMS), then mark the rebuild done."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    newest = activities_followed_by(viewer=user).filter(pulled=False).order_by("-created_at", "-id")
    with transaction.atomic():
        count = _items_insert(owner_id=user.pk, activities=newest[: feed_setting("FEED_MAX_ITEMS")])
        FeedState.objects.filter(user_id=user.pk).update(rebuilt_at=timezone.now())
        feed_viewers_changed(user_ids=[user.pk])
    return count


def feed_login_note(*, user) -> bool:
    """Note that USER logged in; if they had not for FEED_ACTIVE_DAYS (or ever), their feed
    missed the fan-outs meanwhile: ask for a rebuild (through the outbox). Returns whether a
    rebuild was asked."""
    now = timezone.now()
    with transaction.atomic():
        state, _ = FeedState.objects.select_for_update().get_or_create(user_id=user.pk)
        returning = state.seen_at is None or state.seen_at < active_since()
        state.seen_at = now
        if returning:
            state.rebuild_requested_at = now
        state.save()
        if returning:
            outbox_record(topic=REBUILD_TOPIC, payload={"user_id": user.pk})
    return returning


def feeds_trim(*, max_items: int | None = None) -> int:
    """Delete the items beyond the newest MAX_ITEMS (FEED_MAX_ITEMS) of every feed; return
    how many went."""
    max_items = max_items or feed_setting("FEED_MAX_ITEMS")
    owners = list(
        FeedItem.objects.values("owner_id")
        .order_by()
        .annotate(n=Count("pk"))
        .filter(n__gt=max_items)
        .values_list("owner_id", flat=True)
    )
    removed = 0
    for owner_id in owners:
        keep = (
            FeedItem.objects.filter(owner_id=owner_id)
            .order_by("-created_at", "-activity_id")
            .values_list("pk", flat=True)[:max_items]
        )
        removed += FeedItem.objects.filter(owner_id=owner_id).exclude(pk__in=list(keep)).delete()[0]
    return removed
