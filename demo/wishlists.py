"""The demo shopper's wishlists: a birthday list next month shared with friends and a private
list of ideas, one of whose wishes the merchant has since put on sale (an active price drop,
and the notification that told the shopper); and a friend's list the shopper can open from
the friend's link, some of its wishes already claimed by the friend's other friends. The
shopper asked their friends which birthday gift to pick: two friends voted and one
commented. Made through the wishlists' and the catalogue's services, as the site makes them.

Idempotent: a list of the same owner and title is left as it is, a list already asked about
is not asked again, and a wish already cheaper than when it was made is the price drop, so
running the demo again makes nothing new.
"""

from collections import Counter
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from demo.community import community_spec
from gifting.wishlists import ask_services, services
from gifting.wishlists.models import Wishlist, WishlistItem
from shop.accounts.services import address_add
from shop.catalog import services as catalog
from shop.catalog.models import Variant
from social.graph.selectors import friends_of

NOTES = ["In green if they have it", "", "Any size is fine"]


def _variants(offset: int, count: int) -> list[Variant]:
    """COUNT first options of published products in stock, from OFFSET into the catalogue
    (the same on every run); none if the catalogue is smaller."""
    variants = list(
        Variant.objects.filter(product__is_published=True, stock__gt=0, position=0).order_by(
            "product_id"
        )[offset : offset + count]
    )
    return variants if len(variants) == count else []


def _list_make(*, owner, title, visibility, variants, occasion_on=None, created: Counter):
    if Wishlist.objects.filter(owner=owner, title=title).exists():
        return None
    wishlist = services.wishlist_create(
        owner=owner, title=title, visibility=visibility, occasion_on=occasion_on
    )
    items = [
        services.wishlist_item_add(
            wishlist=wishlist,
            variant_id=variant.pk,
            quantity=1 + index % 2,
            note=NOTES[index % len(NOTES)],
            priority=1 + index % 3,
        )
        for index, variant in enumerate(variants)
    ]
    created["wishlists"] += 1
    return items


def wishlists_build(*, created: Counter) -> None:
    """Make whatever of the demo shopper's and their friend's lists is missing."""
    spec = community_spec()
    shopper = get_user_model().objects.filter(username=spec.shopper).first()
    if shopper is None:
        return
    today = timezone.localdate()
    variants = _variants(1, 8)
    if not variants:
        return
    _list_make(
        owner=shopper,
        title="My birthday",
        visibility="friends",
        occasion_on=today + timedelta(days=30),
        variants=variants[0:3],
        created=created,
    )
    _list_make(
        owner=shopper,
        title="Ideas for the flat",
        visibility="private",
        variants=variants[3:5],
        created=created,
    )
    _price_drop_ensure(owner=shopper, title="Ideas for the flat", created=created)
    friend = friends_of(user=shopper).filter(is_active=True).order_by("username").first()
    if friend is None:
        return
    _ask_make(owner=shopper, title="My birthday", created=created)
    items = _list_make(
        owner=friend,
        title="Housewarming",
        visibility="friends",
        occasion_on=today + timedelta(days=21),
        variants=variants[5:8],
        created=created,
    )
    if not items:
        return
    # Others of the friend's friends (not the shopper) have claimed the first two wishes.
    claimers = list(
        friends_of(user=friend)
        .filter(is_active=True)
        .exclude(pk=shopper.pk)
        .order_by("username")[:2]
    )
    for claimer, item in zip(claimers, items[:2], strict=False):
        services.claim_create(item=item, claimer=claimer)
        created["wishlist claims"] += 1


def wishlist_gift_addresses_build(*, created: Counter) -> None:
    """Gifts of the friend's housewarming list go to the friend's address (the shopper can
    claim a wish and "Buy this gift" for it without seeing it), and those of the shopper's
    birthday list to the shopper's own. Lists that have a gift address are left as they are."""
    spec = community_spec()
    shopper = get_user_model().objects.filter(username=spec.shopper).first()
    if shopper is None:
        return
    lists = Wishlist.objects.filter(
        shipping_address__isnull=True, title__in=("My birthday", "Housewarming")
    ).filter(Q(owner=shopper) | Q(owner__in=friends_of(user=shopper)))
    for wishlist in lists.select_related("owner"):
        owner = wishlist.owner
        address = owner.addresses.first() or address_add(
            user=owner,
            full_name=owner.public_name,
            line1="4 Rue des Tilleuls",
            line2="",
            postal_code="69002",
            city="Lyon",
            country="FR",
        )
        services.wishlist_update(
            wishlist=wishlist,
            title=wishlist.title,
            occasion_on=wishlist.occasion_on,
            visibility=wishlist.visibility,
            shipping_address=address,
        )
        created["wishlist gift addresses"] += 1


def _ask_make(*, owner, title: str, created: Counter) -> None:
    """OWNER asks their friends about their list TITLE (once): two friends vote on its first
    wish (👍 and 👎) and the first of them comments."""
    wishlist = Wishlist.objects.filter(owner=owner, title=title, asked_at__isnull=True).first()
    item = wishlist.items.order_by("pk").first() if wishlist is not None else None
    if item is None:
        return
    ask_services.wishlist_ask(wishlist=wishlist)
    created["wishlist asks"] += 1
    voters = list(friends_of(user=owner).filter(is_active=True).order_by("username")[:2])
    for index, voter in enumerate(voters):
        ask_services.item_vote_set(item=item, voter=voter, up=index == 0)
        created["wishlist votes"] += 1
    if voters:
        ask_services.item_comment_add(
            item=item, author=voters[0], text="This one! You have wanted it for ages."
        )
        created["wishlist comments"] += 1


def _sale_variant(*, exclude_product_ids) -> Variant | None:
    """A published variant in stock that is not its product's first (the same on every run),
    of a product not sold by the piece: put on sale, it leaves the first option's price as it
    was, and no set ends up cheaper than its pieces."""
    return (
        Variant.objects.filter(product__is_published=True, stock__gt=0, position__gt=0)
        .exclude(product_id__in=exclude_product_ids)
        .exclude(product__variants__options__has_key="pieces")
        .order_by("product_id", "position", "pk")
        .first()
    )


def _sale_price(price: int) -> int:
    """About a fifth off PRICE, ending in .99 where that is still a drop."""
    target = price * 4 // 5
    rounded = target // 100 * 100 - 1
    return rounded if 0 < rounded < price else target


def _price_drop_ensure(*, owner, title: str, created: Counter) -> None:
    """Give OWNER's list TITLE a wish the merchant has since put on sale, unless one of their
    wishes is already cheaper than when it was made."""
    wishlist = Wishlist.objects.filter(owner=owner, title=title).first()
    if wishlist is None:
        return
    items = WishlistItem.objects.filter(wishlist__owner=owner).select_related("variant")
    if any(item.variant.price < item.price_when_added for item in items):
        return
    variant = _sale_variant(exclude_product_ids=[item.variant.product_id for item in items])
    if variant is None:
        return
    services.wishlist_item_add(
        wishlist=wishlist, variant_id=variant.pk, note="If it ever goes on sale", priority=3
    )
    was = variant.price
    variant.price = _sale_price(was)
    variant.compare_at_price = max(variant.compare_at_price or 0, was)
    catalog.variant_save(variant=variant)
    created["wishlist price drops"] += 1
