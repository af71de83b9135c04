"""Reads of wishlists, as a viewer may see them.

Who sees a list is the audience rule's (social.graph): audience_allows() for one list opened
by its link (LINK_OPENED), audience_filter() for lists of a person. What a viewer sees of the
claims:
- the owner: nothing (no claim, no count of units taken) until the occasion has passed or
  they revealed the claims; then all of them;
- anyone else who may see the list: what is taken, and by whom where the audience rule of
  the claimer's profile lets the viewer see them (else "someone").
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from gifting.wishlists.models import Claim, Wishlist, WishlistItem
from shop.core.validators import token_is_plausible
from social.graph.selectors import audience_allows, audience_filter

User = get_user_model()
TAKEN = (Claim.Status.RESERVED, Claim.Status.PURCHASED)
CHOICES_SECONDS = 24 * 3600


def wishlist_list_for_owner(*, owner) -> QuerySet[Wishlist]:
    """OWNER's lists, newest first, with their number of items (no claim data)."""
    # Ordered here: an aggregate drops Meta.ordering (it would be in the GROUP BY).
    return (
        Wishlist.objects.filter(owner_id=owner.pk)
        .annotate(item_count=Count("items"))
        .order_by("-created_at", "-id")
    )


def wishlist_choices_key(owner_id: int) -> str:
    return f"wishlists:choices:{owner_id}"


def wishlist_choices_for_owner(*, owner) -> list[tuple[int, str]]:
    """OWNER's lists as (id, title), newest first, for the product page's "Add to wishlist":
    cached per owner (forgotten by every service that creates, renames or deletes a list), so
    a product page costs no query for it once seen."""
    key = wishlist_choices_key(owner.pk)
    found = cache.get(key)  # a cache that is down is a miss (shop.core.cache)
    if found is None:
        found = list(Wishlist.objects.filter(owner_id=owner.pk).values_list("pk", "title"))
        cache.set(key, found, CHOICES_SECONDS)
    return [tuple(choice) for choice in found]


def wishlist_get_for_owner(*, owner, wishlist_id) -> Wishlist:
    """Return OWNER's list WISHLIST_ID, or raise Http404 (another's list is not theirs)."""
    found = (
        Wishlist.objects.filter(pk=wishlist_id, owner_id=owner.pk).first()
        if str(wishlist_id).isdigit()
        else None
    )
    if found is None:
        raise Http404("No such list.")
    return found


def wishlist_list_of_person(*, viewer, person) -> QuerySet[Wishlist]:
    """PERSON's lists VIEWER may see without their links (LINK lists: friends only)."""
    return audience_filter(
        Wishlist.objects.filter(owner_id=person.pk).select_related("owner"),
        viewer=viewer,
        owner_field="owner",
    )


def wishlist_list_visible(*, viewer) -> QuerySet[Wishlist]:
    """Every list VIEWER may see without a link: their own, friends', public ones."""
    return audience_filter(Wishlist.objects.select_related("owner"), viewer=viewer)


def wishlist_get_by_token(*, viewer, token: str) -> Wishlist:
    """Return the list whose link has TOKEN if VIEWER may see it (they opened its link), or
    raise Http404: a list one may not see does not exist for them."""
    if not token_is_plausible(token):
        raise Http404("No such list.")
    wishlist = Wishlist.objects.select_related("owner").filter(token=token).first()
    if wishlist is None or not audience_allows(
        viewer=viewer, owner=wishlist.owner, visibility=wishlist.visibility, link_opened=True
    ):
        raise Http404("No such list.")
    return wishlist


def wishlist_get_for_viewer(*, viewer, wishlist_id) -> Wishlist:
    """Return list WISHLIST_ID if VIEWER may see it without its link, or raise Http404."""
    if not str(wishlist_id).isdigit():
        raise Http404("No such list.")
    wishlist = wishlist_list_visible(viewer=viewer).filter(pk=wishlist_id).first()
    if wishlist is None:
        raise Http404("No such list.")
    return wishlist


def wishlist_item_get_for_owner(*, owner, item_id) -> WishlistItem:
    found = (
        WishlistItem.objects.select_related("wishlist")
        .filter(pk=item_id, wishlist__owner_id=owner.pk)
        .first()
        if str(item_id).isdigit()
        else None
    )
    if found is None:
        raise Http404("No such wish.")
    return found


def wishlist_item_get(*, item_id) -> WishlistItem:
    """The item ITEM_ID with its list and owner (the caller checks who may see it)."""
    found = (
        WishlistItem.objects.select_related("wishlist__owner").filter(pk=item_id).first()
        if str(item_id).isdigit()
        else None
    )
    if found is None:
        raise Http404("No such wish.")
    return found


def wishlist_items_of_variant_exist(*, variant_id: int) -> bool:
    """Whether any list holds VARIANT_ID (one query; most price changes concern none)."""
    return WishlistItem.objects.filter(variant_id=variant_id).exists()


def wishlist_items_of_variant(*, variant_id: int, after: int = 0, limit: int) -> list[WishlistItem]:
    """Up to LIMIT wishes of VARIANT_ID with ids above AFTER, in id order, with their lists and
    active owners (one query): walk them chunk by chunk, passing the last id as AFTER."""
    return list(
        WishlistItem.objects.filter(
            variant_id=variant_id, pk__gt=after, wishlist__owner__is_active=True
        )
        .select_related("wishlist__owner")
        .order_by("pk")[:limit]
    )


def claim_get_for_claimer(*, claimer, claim_id) -> Claim:
    found = (
        Claim.objects.select_related("item__wishlist")
        .filter(pk=claim_id, claimer_id=claimer.pk)
        .first()
        if str(claim_id).isdigit()
        else None
    )
    if found is None:
        raise Http404("No such claim.")
    return found


@dataclass(frozen=True)
class ClaimShown:
    claim_id: int
    name: str  # the claimer's name, or "Someone" where their profile is not seen
    quantity: int
    status: str
    mine: bool
    # The viewer's own reservation held by another app (their gift pool): its page, else "".
    held_url: str = ""


# Another app holding claims (a gift pool holds its wish's claim while it collects) says where
# their claimer follows them: registered from its AppConfig.ready() as
# links(*, claimer, claim_ids) -> {claim id: url} for those of CLAIM_IDS it holds, in one query.
_claim_holder_links: list[Callable[..., Mapping[int, str]]] = []


def claim_holder_links_register(links: Callable[..., Mapping[int, str]]) -> None:
    """Add LINKS (see above): the list shows its claims as held, not to buy or release."""
    if links not in _claim_holder_links:
        _claim_holder_links.append(links)


def claims_held_links(*, claimer, claim_ids: list[int]) -> dict[int, str]:
    """Return the claims of CLAIM_IDS (CLAIMER's reservations) another app holds, with the
    page each is held on: one query per registered holder, none without claims."""
    links: dict[int, str] = {}
    if not claim_ids:
        return links
    for holder_links in _claim_holder_links:
        links.update(holder_links(claimer=claimer, claim_ids=claim_ids))
    return links


@dataclass
class ItemShown:
    item: WishlistItem
    # None for the owner before the reveal: they are told nothing of claims.
    taken: int | None = None
    claims: list[ClaimShown] = field(default_factory=list)
    # Friends' votes and comments once the owner asked (ask_selectors.ItemAnswers), else None.
    answers: object = None

    @property
    def left(self) -> int | None:
        return None if self.taken is None else max(self.item.quantity - self.taken, 0)

    @property
    def image(self):
        """The product's first picture, or None (prefetched with the wish)."""
        images = self.item.variant.product.images.all()
        return images[0] if images else None

    @property
    def price_dropped_from(self) -> int | None:
        """The price when the wish was made, if the variant costs less now (a price drop)."""
        price_then = self.item.price_when_added
        return price_then if self.item.variant.price < price_then else None

    @property
    def my_reserved(self) -> ClaimShown | None:
        return next(
            (c for c in self.claims if c.mine and c.status == "reserved" and not c.held_url),
            None,
        )


@dataclass
class WishlistShown:
    wishlist: Wishlist
    is_owner: bool
    claims_shown: bool
    items: list[ItemShown]
    # The viewer may vote and comment: signed in, not the owner, and the owner asked.
    may_answer: bool = False

    @property
    def ship_to(self) -> str | None:
        """For anyone but the owner: the key checkout knows the list's gift address by, if
        the owner set one (never the address)."""
        if self.is_owner or not self.wishlist.shipping_address_id:
            return None
        return gift_destination_key(self.wishlist)


def _items(wishlist: Wishlist) -> QuerySet[WishlistItem]:
    """The list's wishes with their variant, product and the product's pictures (one query
    more, whatever their number)."""
    from shop.catalog.selectors import product_images_prefetch

    return (
        WishlistItem.objects.filter(wishlist_id=wishlist.pk)
        .select_related("variant__product")
        .prefetch_related(product_images_prefetch("variant__product__images"))
    )


def wishlist_shown(*, viewer, wishlist: Wishlist) -> WishlistShown:
    """WISHLIST as VIEWER (who may see it) is shown it, in at most 6 queries: its items,
    and, where claims are shown, the claims with their claimers and the claimers whose
    profile the viewer sees; once its owner asked their friends, the votes and comments
    (ask_selectors.item_answers_for)."""
    from gifting.wishlists.ask_selectors import ItemAnswers, item_answers_for

    shown = _wishlist_shown_claims(viewer=viewer, wishlist=wishlist)
    if wishlist.asked_at is not None:
        answers = item_answers_for(viewer=viewer, wishlist=wishlist)
        for entry in shown.items:
            entry.answers = answers.get(entry.item.pk) or ItemAnswers(item_id=entry.item.pk)
        signed_in = viewer is not None and viewer.is_authenticated
        shown.may_answer = signed_in and not shown.is_owner
    return shown


def _wishlist_shown_claims(*, viewer, wishlist: Wishlist) -> WishlistShown:
    is_owner = viewer is not None and viewer.is_authenticated and viewer.pk == wishlist.owner_id
    claims_shown = not is_owner or wishlist.claims_revealed()
    if not claims_shown:
        return WishlistShown(
            wishlist=wishlist,
            is_owner=True,
            claims_shown=False,
            items=[ItemShown(item=item) for item in _items(wishlist)],
        )
    taken = (
        Claim.objects.filter(item_id=OuterRef("pk"), status__in=TAKEN)
        .values("item_id")
        .annotate(n=Sum("quantity"))
        .values("n")
    )
    items = list(
        _items(wishlist)
        .annotate(taken=Coalesce(Subquery(taken, output_field=IntegerField()), 0))
        .prefetch_related(
            Prefetch(
                "claims",
                queryset=Claim.objects.filter(status__in=TAKEN).select_related("claimer"),
                to_attr="taken_claims",
            )
        )
    )
    claimer_ids = {c.claimer_id for item in items for c in item.taken_claims}
    named = set()
    if claimer_ids:
        named = set(
            audience_filter(
                User.objects.filter(pk__in=claimer_ids),
                viewer=viewer,
                owner_field="pk",
                visibility_field="privacy__profile",
            ).values_list("pk", flat=True)
        )
    viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
    held = claims_held_links(
        claimer=viewer,
        claim_ids=[
            c.pk
            for item in items
            for c in item.taken_claims
            if viewer_id is not None
            and c.claimer_id == viewer_id
            and c.status == Claim.Status.RESERVED
        ],
    )
    return WishlistShown(
        wishlist=wishlist,
        is_owner=is_owner,
        claims_shown=True,
        items=[
            ItemShown(
                item=item,
                taken=item.taken,
                claims=[
                    ClaimShown(
                        claim_id=c.pk,
                        name=c.claimer.public_name if c.claimer_id in named else "Someone",
                        quantity=c.quantity,
                        status=c.status,
                        mine=c.claimer_id == viewer_id,
                        held_url=held.get(c.pk, ""),
                    )
                    for c in item.taken_claims
                ],
            )
            for item in items
        ],
    )


def claim_reserved_of(*, claimer, item: WishlistItem) -> Claim:
    """CLAIMER's open reservation of ITEM, or Http404."""
    found = Claim.objects.filter(item_id=item.pk, claimer_id=claimer.pk, status="reserved").first()
    if found is None:
        raise Http404("You have not claimed this wish.")
    return found


DESTINATION_PREFIX = "wishlist"


def gift_destination_key(wishlist: Wishlist) -> str:
    """The key checkout knows a list's gift address by (shop.orders.destinations)."""
    return f"{DESTINATION_PREFIX}:{wishlist.pk}"


def gift_destination_get(*, user, rest: str):
    """The list REST's gift address as a HiddenDestination, if USER may ship to it now: they
    hold a reservation on one of its wishes (so they came by the list, its link maybe), they
    may still see it, and its owner set an address. Else None. The buyer reads "Ana's
    registry address"; the address itself goes only to the order (and the merchant)."""
    from shop.orders.addresses import AddressInput
    from shop.orders.destinations import HiddenDestination

    if not rest.isdigit() or len(rest) > 18:
        return None
    wishlist = (
        Wishlist.objects.select_related("owner", "shipping_address")
        .filter(
            pk=int(rest),
            shipping_address__isnull=False,
            items__claims__claimer_id=user.pk,
            items__claims__status=Claim.Status.RESERVED,
        )
        .exclude(owner_id=user.pk)
        .first()
    )
    if wishlist is None or not audience_allows(
        viewer=user, owner=wishlist.owner, visibility=wishlist.visibility, link_opened=True
    ):
        return None
    return HiddenDestination(
        key=gift_destination_key(wishlist),
        label=f"{wishlist.owner.public_name}’s registry address",
        address=AddressInput.from_saved(wishlist.shipping_address),
    )
