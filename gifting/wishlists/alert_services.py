"""Price-drop and back-in-stock alerts: when the catalogue says a variant got cheaper or has
stock again (its events, heard in receivers.py and kept in the outbox), each person with it on
a list is told once per event, by a notification and, as their preferences for the kind say,
an email (social.notifications decides that).

Run from Celery (tasks.py) with the event's payload, these may run twice: a person's
notification has a dedupe key naming the event's stamp, so a second run says nothing again,
while a later drop (another event, another stamp) is told again. The wishes of the variant
are read ALERT_CHUNK at a time in id order, each chunk one query: a variant on 10,000 lists is
never loaded at once.

Claims play no part: whether friends claimed or bought a wish is not its owner's to know, so
every owner is told alike, and the notification says nothing of claims.
"""

from gifting.wishlists import selectors
from gifting.wishlists.alert_kinds import BACK_IN_STOCK_KIND, PRICE_DROP_KIND
from shop.cart.selectors import variant_display_name
from shop.catalog.selectors import variant_get_with_product
from shop.core.money import money_format

ALERT_CHUNK = 500


def _owners_notify(*, variant, kind: str, dedupe_key: str, data: dict) -> int:
    """Notify once each active owner of a wish of VARIANT (naming their first list holding
    it); return how many were told now."""
    from social.notifications.services import notification_notify

    told, after = 0, 0
    product = variant_display_name(variant=variant)
    while True:
        items = selectors.wishlist_items_of_variant(
            variant_id=variant.pk, after=after, limit=ALERT_CHUNK
        )
        if not items:
            return told
        seen: set[int] = set()
        for item in items:
            wishlist = item.wishlist
            if wishlist.owner_id in seen:
                continue  # their other list holding it: one notification per person
            seen.add(wishlist.owner_id)
            notification = notification_notify(
                recipient=wishlist.owner,
                kind=kind,
                dedupe_key=dedupe_key,
                target_type="wishlists.wishlistitem",
                target_id=item.pk,
                url=f"/wishlists/{wishlist.token}/#wish-{item.pk}",
                data={"product": product, "wishlist": wishlist.title, **data},
            )
            told += notification is not None
        after = items[-1].pk


def wishlist_price_drop_notify(
    *, variant_id: int, old_price: int, new_price: int, event: str
) -> int:
    """Tell the owners of wishes of VARIANT_ID that it costs NEW_PRICE, down from OLD_PRICE
    (minor units); return how many were told. EVENT stamps the drop (the same on a second
    run). Nothing is said for a variant gone or unpublished, or priced otherwise since: a
    later change speaks for itself."""
    variant = variant_get_with_product(variant_id=variant_id)
    if (
        variant is None
        or not variant.product.is_published
        or variant.price != new_price
        or new_price >= old_price
    ):
        return 0
    return _owners_notify(
        variant=variant,
        kind=PRICE_DROP_KIND,
        dedupe_key=f"{PRICE_DROP_KIND}:{variant_id}:{new_price}:{event}",
        data={"price": money_format(new_price), "old_price": money_format(old_price)},
    )


def wishlist_back_in_stock_notify(*, variant_id: int, event: str) -> int:
    """Tell the owners of wishes of VARIANT_ID that it is in stock again; return how many
    were told. EVENT stamps the restock (the same on a second run). Nothing is said for a
    variant gone, unpublished, or sold out again since."""
    variant = variant_get_with_product(variant_id=variant_id)
    if variant is None or not variant.product.is_published or variant.stock <= 0:
        return 0
    return _owners_notify(
        variant=variant,
        kind=BACK_IN_STOCK_KIND,
        dedupe_key=f"{BACK_IN_STOCK_KIND}:{variant_id}:{event}",
        data={},
    )
