"""The demo shopper's feed: what their friends who share purchases bought, friendships among
them, and the newest products of the merchants the shopper follows, recorded through the
feed's services (as the site records them). The shopper's first log-in rebuilds their feed
from these (social.feed), so it is full from the first visit.

Idempotent: every activity has a demo dedupe key (a new product the key the catalogue's
event uses), so running the demo again records nothing new.
"""

from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model

from demo.community import community_spec
from shop.catalog.models import Product
from shop.catalog.selectors import product_list_by_ids, variant_list_for_products
from shop.core.visibility import Visibility
from social.feed.models import Activity
from social.feed.services import activity_delete, activity_record, product_snapshot
from social.graph.selectors import follow_list, friends_of, privacy_settings_get

# How many things each sharing friend bought, and new products per followed merchant.
PURCHASES_EACH = 2
NEW_PRODUCTS_EACH = 2


def _record(created: Counter, **fields) -> None:
    before = Activity.objects.filter(dedupe_key=fields["dedupe_key"]).exists()
    activity_record(**fields)
    if not before:
        created["feed activities"] += 1


def feed_build(*, created: Counter) -> None:
    """Record whatever of the demo shopper's feed is missing."""
    spec = community_spec()
    shopper = get_user_model().objects.filter(username=spec.shopper).first()
    if shopper is None:
        return
    friends = list(friends_of(user=shopper).order_by("username"))
    product_ids = list(
        Product.objects.filter(is_published=True).order_by("pk").values_list("pk", flat=True)
    )
    if not product_ids:
        return
    # Each friend's purchases, spread over the catalogue (the same on every run).
    bought = {
        friend.pk: [
            product_ids[(index * 7 + k * 3) % len(product_ids)] for k in range(PURCHASES_EACH)
        ]
        for index, friend in enumerate(friends)
    }
    products = product_list_by_ids(product_ids=sorted({pk for v in bought.values() for pk in v}))
    # The variant each friend "bought": the product's cheapest, so a card can add it to the cart.
    bought_variant: dict[int, int] = {}
    for variant in variant_list_for_products(product_ids=list(products)).order_by("-price", "-pk"):
        bought_variant[variant.product_id] = variant.pk
    for friend in friends:
        visibility = privacy_settings_get(user=friend).purchases
        if visibility == Visibility.PRIVATE:
            continue
        for pk in bought[friend.pk]:
            product = products.get(pk)
            if product is None:
                continue
            _record(
                created,
                verb=Activity.Verb.PURCHASE,
                actor=friend,
                product=product,
                snapshot=product_snapshot(
                    product,
                    price=product.price_min,
                    currency=settings.STORE_CURRENCY,
                    variant_id=bought_variant.get(product.pk),
                ),
                visibility=visibility,
                dedupe_key=f"demo:purchase:{friend.username}:{product.slug}",
            )
    for first, second in zip(friends[::2], friends[1::2], strict=False):
        _record(
            created,
            verb=Activity.Verb.FRIENDSHIP,
            actor=first,
            snapshot={
                "title": second.public_name,
                "image_url": "",
                "price": None,
                "currency": "",
                "url": f"/people/{second.username}/",
                "friend_id": second.pk,
            },
            visibility=Visibility.FRIENDS,
            dedupe_key=f"demo:friendship:{first.username}:{second.username}",
        )
    for follow in follow_list(user=shopper).filter(merchant__isnull=False):
        newest = list(
            Product.objects.filter(merchant=follow.merchant, is_published=True)
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)[:NEW_PRODUCTS_EACH]
        )
        for product in product_list_by_ids(product_ids=newest).values():
            _record(
                created,
                verb=Activity.Verb.NEW_PRODUCT,
                merchant=follow.merchant,
                product=product,
                snapshot=product_snapshot(
                    product, price=product.price_min, currency=settings.STORE_CURRENCY
                ),
                visibility=Visibility.PUBLIC,
                dedupe_key=f"new_product:{product.pk}",
            )


def feed_settle() -> int:
    """Once the demo's transaction has committed: the demo publishes its whole catalogue at
    once, and each product's "new product" activity arrives then (the catalogue's event,
    sent on commit), which would bury the friends' activity under a few hundred of them.
    Keep the NEW_PRODUCTS_EACH newest of each merchant (those feed_build recorded for the
    merchants the shopper follows among them) and delete the rest, from every feed.
    Returns how many were deleted; nothing on a second run."""
    keep: set[str] = set()
    newest_by_merchant: dict[int, int] = {}
    for pk, merchant_id in (
        Product.objects.filter(is_published=True)
        .order_by("merchant_id", "-created_at", "-pk")
        .values_list("pk", "merchant_id")
    ):
        if newest_by_merchant.get(merchant_id, 0) < NEW_PRODUCTS_EACH:
            newest_by_merchant[merchant_id] = newest_by_merchant.get(merchant_id, 0) + 1
            keep.add(f"new_product:{pk}")
    extra = (
        Activity.objects.filter(
            verb=Activity.Verb.NEW_PRODUCT, dedupe_key__startswith="new_product:"
        )
        .exclude(dedupe_key__in=keep)
        .values_list("dedupe_key", flat=True)
    )
    return sum(activity_delete(dedupe_key=key) for key in list(extra))
