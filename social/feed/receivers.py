"""What the feed hooks into, connected from FeedConfig.ready(): the shop's events (an order
paid, a product published), the graph's (friends made and ended, follows, blocks, privacy),
log-ins (a returning person's feed is rebuilt), the outbox (fan-out and rebuild tasks) and
the personal-data registry.

Receivers take ids, re-read what they need, and are safe to run twice (order_paid comes
from the outbox and may; activities are recorded under a dedupe key).
"""

from django.contrib.auth import get_user_model
from django.urls import reverse

from shop.core.visibility import Visibility
from social.feed import services
from social.feed.models import Activity

User = get_user_model()


def _user(user_id):
    return User.objects.filter(pk=user_id, is_active=True).first() if user_id else None


def order_paid_record_purchases(sender, *, order_id: int, **kwargs) -> None:
    """A paid order: one PURCHASE activity per line, if the buyer shares purchases and the
    order is not a gift shipped to an address they do not see (a friend's registry: the
    friend must not learn of it from their feed)."""
    from shop.catalog.selectors import variant_get_with_product
    from shop.orders.selectors import order_for_email
    from social.graph.selectors import privacy_settings_get

    order = order_for_email(order_id=order_id)
    if order is None or order.customer_id is None or order.address_hidden:
        return
    buyer = _user(order.customer_id)
    if buyer is None:
        return
    visibility = privacy_settings_get(user=buyer).purchases
    if visibility == Visibility.PRIVATE:
        return
    for line in order.lines.all():
        variant = variant_get_with_product(variant_id=line.variant_id) if line.variant_id else None
        product = variant.product if variant is not None else None
        if product is not None:
            snapshot = services.product_snapshot(
                product, price=line.unit_price, currency=order.currency, variant_id=variant.pk
            )
            snapshot["title"] = line.product_title
        else:
            snapshot = {
                "title": line.product_title,
                "image_url": "",
                "price": line.unit_price,
                "currency": order.currency,
                "url": "",
            }
        snapshot["merchant"] = line.merchant.name
        services.activity_record(
            verb=Activity.Verb.PURCHASE,
            actor=buyer,
            product=product,
            snapshot=snapshot,
            visibility=visibility,
            dedupe_key=f"purchase:{line.pk}",
        )


def product_published_record(sender, *, product_id: int, **kwargs) -> None:
    """A product became visible: its merchant's followers hear of it (public)."""
    from shop.catalog.selectors import product_list_by_ids

    product = product_list_by_ids(product_ids=[product_id]).get(product_id)
    if product is None:
        return
    from shop.catalog.selectors import variant_list_for_products

    variants = list(variant_list_for_products(product_ids=[product.pk]).values_list("pk")[:2])
    snapshot = services.product_snapshot(
        product,
        price=product.price_min,
        currency=_currency(),
        variant_id=variants[0][0] if len(variants) == 1 else None,
    )
    snapshot["merchant"] = product.merchant.name
    services.activity_record(
        verb=Activity.Verb.NEW_PRODUCT,
        merchant=product.merchant,
        product=product,
        snapshot=snapshot,
        visibility=Visibility.PUBLIC,
        dedupe_key=f"new_product:{product.pk}",
    )


def _currency() -> str:
    from django.conf import settings

    return settings.STORE_CURRENCY


def _friendship_record(*, first, second, key: str) -> None:
    """Record that FIRST and SECOND became friends (one activity each, for each one's
    friends) and copy each one's recent visible activities into the other's feed."""
    for actor, friend in ((first, second), (second, first)):
        services.activity_record(
            verb=Activity.Verb.FRIENDSHIP,
            actor=actor,
            snapshot={
                "title": friend.public_name,
                "image_url": "",
                "price": None,
                "currency": "",
                "url": reverse("person_detail", args=[friend.username]),
                "friend_id": friend.pk,
            },
            visibility=Visibility.FRIENDS,
            dedupe_key=f"friendship:{key}:{actor.pk}",
        )
    services.feed_recent_copy(owner=first, actor=second)
    services.feed_recent_copy(owner=second, actor=first)


def friend_request_accepted_record(sender, *, request_id: int, **kwargs) -> None:
    from social.graph.models import FriendRequest

    row = FriendRequest.objects.filter(pk=request_id).values("from_user_id", "to_user_id").first()
    if row is None:
        return
    first, second = _user(row["from_user_id"]), _user(row["to_user_id"])
    if first is not None and second is not None:
        _friendship_record(first=first, second=second, key=f"request{request_id}")


def invite_accepted_record(sender, *, referral_id: int, **kwargs) -> None:
    from social.graph.models import Referral

    row = Referral.objects.filter(pk=referral_id).values("inviter_id", "newcomer_id").first()
    if row is None:
        return
    first, second = _user(row["inviter_id"]), _user(row["newcomer_id"])
    if first is not None and second is not None:
        _friendship_record(first=first, second=second, key=f"referral{referral_id}")


def follow_created_copy(sender, *, follow_id: int, **kwargs) -> None:
    from social.graph.models import Follow

    follow = Follow.objects.select_related("follower", "person", "merchant").filter(pk=follow_id)
    follow = follow.first()
    if follow is None:
        return
    services.feed_recent_copy(owner=follow.follower, actor=follow.person, merchant=follow.merchant)


def friendship_ended_remove(sender, *, user_id: int, friend_id: int, **kwargs) -> None:
    """Each loses the other's items, but for the public ones of someone they still follow."""
    from social.graph.models import Follow

    for owner_id, actor_id in ((user_id, friend_id), (friend_id, user_id)):
        follows = Follow.objects.filter(follower_id=owner_id, person_id=actor_id).exists()
        services.feed_items_of_actor_remove(
            owner_id=owner_id, actor_id=actor_id, keep_public=follows
        )


def follow_ended_remove(
    sender, *, follower_id: int, person_id=None, merchant_id=None, **kwargs
) -> None:
    from social.graph.models import Friendship

    if merchant_id is not None:
        services.feed_items_of_merchant_remove(owner_id=follower_id, merchant_id=merchant_id)
        return
    if Friendship.objects.filter(user_id=follower_id, friend_id=person_id).exists():
        return  # still friends: what friends see stays
    services.feed_items_of_actor_remove(owner_id=follower_id, actor_id=person_id, keep_public=False)


def person_blocked_remove(sender, *, blocker_id: int, blocked_id: int, **kwargs) -> None:
    for owner_id, actor_id in ((blocker_id, blocked_id), (blocked_id, blocker_id)):
        services.feed_items_of_actor_remove(owner_id=owner_id, actor_id=actor_id, keep_public=False)


# The privacy setting that gives each verb its visibility.
SETTING_VERBS = {"purchases": Activity.Verb.PURCHASE, "likes": Activity.Verb.LIKE}


def privacy_changed_apply(sender, *, user_id: int, fields: list[str], **kwargs) -> None:
    """A person changed who sees their purchases or likes: their activities of that kind
    take the new visibility and leave the feeds that may no longer show them."""
    from social.graph.selectors import privacy_settings_get

    user = _user(user_id)
    if user is None:
        return
    settings = privacy_settings_get(user=user)
    for field in fields:
        if field in SETTING_VERBS:
            services.activity_visibility_change(
                actor=user, verb=SETTING_VERBS[field], visibility=getattr(settings, field)
            )


def profile_changed_rerender(sender, *, user_id: int, **kwargs) -> None:
    """A person's name or avatar changed: the feeds that show their activities render anew."""
    from social.feed.page_cache import feed_actor_changed

    feed_actor_changed(actor_id=user_id)


def user_logged_in_note(sender, *, user=None, **kwargs) -> None:
    if user is not None and user.pk is not None:
        services.feed_login_note(user=user)


def connect() -> None:
    from django.contrib.auth.signals import user_logged_in

    from shop.accounts.events import profile_changed
    from shop.catalog.events import product_published
    from shop.core.outbox import TaskDeliverer, outbox_deliverer_register
    from shop.core.personal_data import personal_data_register
    from shop.orders.events import order_paid
    from social.feed import tasks
    from social.feed.personal_data import feed_erase, feed_export
    from social.graph import events

    for signal, receiver in (
        (order_paid, order_paid_record_purchases),
        (product_published, product_published_record),
        (events.friend_request_accepted, friend_request_accepted_record),
        (events.invite_accepted, invite_accepted_record),
        (events.follow_created, follow_created_copy),
        (events.friendship_ended, friendship_ended_remove),
        (events.follow_ended, follow_ended_remove),
        (events.person_blocked, person_blocked_remove),
        (events.privacy_changed, privacy_changed_apply),
        (user_logged_in, user_logged_in_note),
        (profile_changed, profile_changed_rerender),
    ):
        signal.connect(receiver, weak=False, dispatch_uid=f"feed.{receiver.__name__}")
    outbox_deliverer_register(
        prefix="feed.",
        deliverer=TaskDeliverer(
            tasks={
                services.FANOUT_TOPIC: tasks.activity_fanout,
                services.REBUILD_TOPIC: tasks.feed_rebuild,
            }
        ),
    )
    personal_data_register(name="feed", exporter=feed_export, eraser=feed_erase)
