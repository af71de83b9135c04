"""Every write of likes: like and unlike a product, and tell the friends who bought it.

A Like row and its product's ProductLikeCount change in one transaction, by an
INSERT … ON CONFLICT DO NOTHING for the like (so a second like of the same product, even a
concurrent one, inserts nothing and counts nothing) and an INSERT … ON CONFLICT DO UPDATE
count + 1 / a conditional UPDATE count - 1 for the count: the database does the arithmetic,
never Python (two people liking at once both count).
"""

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from shop.core.errors import DomainError
from shop.core.outbox import outbox_record
from social.likes import events
from social.likes.errors import LikeError
from social.likes.models import Like, ProductLikeCount
from social.likes.proof_cache import friends_of_changed, products_changed

NOTIFY_TOPIC = "likes.bought_friends_notify"
LIKE_BOUGHT_KIND = "friend_liked_your_purchase"


@dataclass(frozen=True)
class LikeResult:
    like: Like | None
    # Whether this call made the like (False: it was there already) or removed it.
    changed: bool


def like_activity_key(like_id: int) -> str:
    return f"like:{like_id}"


def _published_product(product_id: int):
    from shop.catalog.selectors import product_list_by_ids

    product = product_list_by_ids(product_ids=[product_id]).get(product_id)
    if product is None:
        raise DomainError(
            "This product is not available.",
            code=LikeError.PRODUCT_NOT_AVAILABLE,
            field="product",
        )
    return product


def _like_insert(*, user_id: int, product_id: int) -> int | None:
    """Insert the like unless it exists; return its id, or None when it was there already.
    (SQLite has had ON CONFLICT … RETURNING since 3.35.)"""
    table = Like._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, product_id, created_at) VALUES (%s, %s, %s) "
            "ON CONFLICT (user_id, product_id) DO NOTHING RETURNING id",
            [user_id, product_id, timezone.now()],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _count_add(*, product_id: int, delta: int) -> None:
    table = ProductLikeCount._meta.db_table
    with connection.cursor() as cursor:
        if delta > 0:
            cursor.execute(
                f"INSERT INTO {table} (product_id, count) VALUES (%s, %s) "
                f"ON CONFLICT (product_id) DO UPDATE SET count = {table}.count + EXCLUDED.count",
                [product_id, delta],
            )
        else:
            # Never below zero, whatever happened before (a row deleted by hand).
            cursor.execute(
                f"UPDATE {table} SET count = count - %s WHERE product_id = %s AND count >= %s",
                [-delta, product_id, -delta],
            )


@transaction.atomic
def like_create(*, user, product) -> LikeResult:
    """USER likes PRODUCT (a published one): the like, the product's count + 1, a LIKE
    activity at USER's likes setting, and (after commit) a notification to the friends USER
    is shown as having bought it. Liking again changes nothing (changed=False).

    Raises DomainError PRODUCT_NOT_AVAILABLE (field "product") for an unpublished product.
    """
    from social.feed.models import Activity
    from social.feed.services import activity_record, product_snapshot
    from social.graph.selectors import privacy_settings_get

    product = _published_product(product.pk)
    like_id = _like_insert(user_id=user.pk, product_id=product.pk)
    if like_id is None:
        return LikeResult(
            like=Like.objects.filter(user=user, product=product).first(), changed=False
        )
    _count_add(product_id=product.pk, delta=1)
    products_changed(product_ids=[product.pk])
    like = Like.objects.get(pk=like_id)
    activity_record(
        verb=Activity.Verb.LIKE,
        actor=user,
        product=product,
        snapshot=product_snapshot(
            product, price=product.price_min, currency=settings.STORE_CURRENCY
        ),
        visibility=privacy_settings_get(user=user).likes,
        dedupe_key=like_activity_key(like.pk),
    )
    outbox_record(topic=NOTIFY_TOPIC, payload={"like_id": like.pk})
    _like_changed_send(user_id=user.pk, product_id=product.pk)
    return LikeResult(like=like, changed=True)


@transaction.atomic
def like_delete(*, user, product) -> LikeResult:
    """USER no longer likes PRODUCT (published or not): the like, its activity (from every
    feed) and one from the count go. Unliking what USER does not like changes nothing."""
    from social.feed.services import activity_delete

    like_id = (
        Like.objects.filter(user_id=user.pk, product_id=product.pk)
        .values_list("pk", flat=True)
        .first()
    )
    if like_id is None:
        return LikeResult(like=None, changed=False)
    # Two unlikes at once: only the one whose DELETE removed the row counts it.
    if Like.objects.filter(pk=like_id).delete()[0] == 0:
        return LikeResult(like=None, changed=False)
    _count_add(product_id=product.pk, delta=-1)
    products_changed(product_ids=[product.pk])
    activity_delete(dedupe_key=like_activity_key(like_id))
    _like_changed_send(user_id=user.pk, product_id=product.pk)
    return LikeResult(like=None, changed=True)


def _like_changed_send(*, user_id: int, product_id: int) -> None:
    transaction.on_commit(
        partial(
            events.like_changed.send_robust,
            sender=events.SENDER,
            user_id=user_id,
            product_id=product_id,
        )
    )


def like_bought_friends_notify(*, like_id: int) -> int:
    """Tell the friends the liker is shown as having bought the liked product ("Ben liked
    Trail Jacket, which you bought"), those who may see the like. Once per (liker, product,
    friend), however often it is liked again or this runs. Returns how many were told."""
    from social.graph.selectors import audience_allows, privacy_settings_get
    from social.likes.selectors import product_buyer_friends
    from social.notifications.services import notification_notify

    like = Like.objects.select_related("user", "product").filter(pk=like_id).first()
    if like is None or not like.user.is_active:
        return 0
    liker, product = like.user, like.product
    visibility = privacy_settings_get(user=liker).likes
    told = 0
    for friend in product_buyer_friends(viewer=liker, product_id=product.pk):
        if not audience_allows(viewer=friend, owner=liker, visibility=visibility):
            continue
        told += (
            notification_notify(
                recipient=friend,
                kind=LIKE_BOUGHT_KIND,
                dedupe_key=f"like_bought:{liker.pk}:{product.pk}",
                actor=liker,
                target_type="product",
                target_id=product.pk,
                url=product.get_absolute_url(),
                data={"product": product.title},
            )
            is not None
        )
    return told


def likes_of_user_erase(*, user) -> int:
    """Delete every like of USER, each taking one from its product's count (the erase of
    "delete my account"); their activities go with the feed's own erase."""
    from social.feed.services import activity_delete

    # What USER's friends are shown of them goes with them.
    friends_of_changed(user_id=user.pk)
    removed = 0
    rows = list(Like.objects.filter(user_id=user.pk).values_list("pk", "product_id"))
    for like_id, product_id in rows:
        with transaction.atomic():
            if Like.objects.filter(pk=like_id).delete()[0]:
                _count_add(product_id=product_id, delta=-1)
                products_changed(product_ids=[product_id])
                activity_delete(dedupe_key=like_activity_key(like_id))
                removed += 1
    return removed
