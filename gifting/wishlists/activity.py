"""A list shared with friends or made public, and the wishes added to it, as activities of the
feed at the list's visibility (verbs WISHLIST and WISH). Never what is claimed: a claim is no
activity, so nothing in a feed can spoil a surprise.

A list kept private or shared by link only is not announced. When a list's audience changes,
its activities go (from every feed) and the list is announced again at its new audience if it
has one; the wishes announced before are not announced again.
"""

from django.conf import settings

from gifting.wishlists.models import Wishlist, WishlistItem
from shop.core.visibility import Visibility

ANNOUNCED = (Visibility.FRIENDS, Visibility.PUBLIC)


def _list_key(wishlist_id: int) -> str:
    return f"wishlist:{wishlist_id}"


def _wish_key(item_id: int) -> str:
    return f"wish:{item_id}"


def _place(wishlist: Wishlist) -> dict:
    return {"title": wishlist.title, "url": f"/wishlists/{wishlist.token}/"}


def wishlist_activity_record(*, wishlist: Wishlist) -> None:
    """Announce WISHLIST at its audience, if friends or everyone may see it."""
    from social.feed.models import Activity
    from social.feed.services import activity_record

    if wishlist.visibility not in ANNOUNCED:
        return
    activity_record(
        verb=Activity.Verb.WISHLIST,
        actor=wishlist.owner,
        snapshot={**_place(wishlist), "image_url": ""},
        visibility=wishlist.visibility,
        dedupe_key=_list_key(wishlist.pk),
    )


def wish_activity_record(*, item: WishlistItem) -> None:
    """Announce that the owner would love ITEM, at its list's audience (if announced)."""
    from social.feed.models import Activity
    from social.feed.services import activity_record, product_snapshot

    wishlist = item.wishlist
    if wishlist.visibility not in ANNOUNCED:
        return
    variant = item.variant
    product = variant.product
    snapshot = product_snapshot(
        product, price=variant.price, currency=settings.STORE_CURRENCY, variant_id=variant.pk
    )
    snapshot["wishlist"] = _place(wishlist)
    activity_record(
        verb=Activity.Verb.WISH,
        actor=wishlist.owner,
        product=product,
        snapshot=snapshot,
        visibility=wishlist.visibility,
        dedupe_key=_wish_key(item.pk),
    )


def wishlist_activities_delete(*, wishlist_id: int, item_ids) -> None:
    """Take the list's activities and those of ITEM_IDS out of every feed."""
    from social.feed.services import activities_delete

    activities_delete(
        dedupe_keys=[_list_key(wishlist_id), *(_wish_key(item_id) for item_id in item_ids)]
    )


def wish_activity_delete(*, item_id: int) -> None:
    from social.feed.services import activities_delete

    activities_delete(dedupe_keys=[_wish_key(item_id)])
