"""Every write of wishlists: lists, items, claims (reserve, purchase, release, expire), reveal.

Claims of one item are taken under the item's row lock, so two friends claiming its last unit
at once get one claim and one SOLD_OUT, never more units claimed than wanted.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from gifting.wishlists import activity
from gifting.wishlists.errors import WishlistError
from gifting.wishlists.models import Claim, Wishlist, WishlistItem
from shop.core.errors import DomainError
from shop.core.visibility import Visibility
from social.graph.selectors import audience_allows, privacy_settings_get

TITLE_MAX = 120
QUANTITY_MAX = 99
TAKEN = (Claim.Status.RESERVED, Claim.Status.PURCHASED)


def _title_clean(title: str) -> str:
    title = (title or "").strip()
    if not title or len(title) > TITLE_MAX:
        raise DomainError(
            f"Give the list a name of 1 to {TITLE_MAX} characters.",
            code=WishlistError.INVALID_TITLE,
            field="title",
        )
    return title


def _visibility_clean(visibility: str) -> str:
    if visibility not in Visibility.values:
        raise DomainError(
            "Choose who sees the list.", code=WishlistError.INVALID_VISIBILITY, field="visibility"
        )
    return visibility


def _address_check(*, owner, address) -> None:
    if address is not None and address.user_id != owner.pk:
        raise DomainError(
            "Choose one of your addresses.",
            code=WishlistError.INVALID_ADDRESS,
            field="shipping_address",
        )


def _quantity_check(quantity: int, field: str = "quantity") -> None:
    if not isinstance(quantity, int) or not 1 <= quantity <= QUANTITY_MAX:
        raise DomainError(
            f"Choose a quantity from 1 to {QUANTITY_MAX}.",
            code=WishlistError.INVALID_QUANTITY,
            field=field,
        )


def _choices_forget(owner_id: int) -> None:
    """Forget OWNER_ID's cached list choices once the change commits (the product page's
    "Add to wishlist" reads them: selectors.wishlist_choices_for_owner)."""
    from gifting.wishlists.selectors import wishlist_choices_key

    transaction.on_commit(partial(cache.delete, wishlist_choices_key(owner_id)))


def wishlist_create(
    *,
    owner,
    title: str,
    occasion_on: date | None = None,
    visibility: str | None = None,
    shipping_address=None,
) -> Wishlist:
    """Create OWNER's list; its visibility defaults to their privacy setting for wishlists."""
    if visibility is None:
        visibility = privacy_settings_get(user=owner).wishlists
    _address_check(owner=owner, address=shipping_address)
    wishlist = Wishlist.objects.create(
        owner=owner,
        title=_title_clean(title),
        occasion_on=occasion_on,
        visibility=_visibility_clean(visibility),
        shipping_address=shipping_address,
    )
    _choices_forget(owner.pk)
    activity.wishlist_activity_record(wishlist=wishlist)
    return wishlist


def wishlist_update(
    *,
    wishlist: Wishlist,
    title: str,
    occasion_on: date | None,
    visibility: str,
    shipping_address=None,
) -> Wishlist:
    """Rename the list, change its occasion, audience or gift address. A new audience or name
    takes the list's activities out of the feeds; it is announced again to its new audience
    (the wishes announced before are not, at a new audience)."""
    _address_check(owner=wishlist.owner, address=shipping_address)
    before = (wishlist.title, wishlist.visibility)
    wishlist.title = _title_clean(title)
    wishlist.occasion_on = occasion_on
    wishlist.visibility = _visibility_clean(visibility)
    wishlist.shipping_address = shipping_address
    wishlist.save(update_fields=["title", "occasion_on", "visibility", "shipping_address"])
    _choices_forget(wishlist.owner_id)
    if before != (wishlist.title, wishlist.visibility):
        item_ids = (
            list(wishlist.items.values_list("pk", flat=True))
            if before[1] != wishlist.visibility
            else []
        )
        activity.wishlist_activities_delete(wishlist_id=wishlist.pk, item_ids=item_ids)
        activity.wishlist_activity_record(wishlist=wishlist)
    return wishlist


def wishlist_delete(*, wishlist: Wishlist) -> None:
    """Delete the list with its items and their claims (and their activities)."""
    owner_id = wishlist.owner_id
    activity.wishlist_activities_delete(
        wishlist_id=wishlist.pk, item_ids=list(wishlist.items.values_list("pk", flat=True))
    )
    wishlist.delete()
    _choices_forget(owner_id)


def wishlist_reveal(*, wishlist: Wishlist, now: datetime | None = None) -> Wishlist:
    """Show the owner the claims of their list from now on (once; a second call keeps the
    first time)."""
    Wishlist.objects.filter(pk=wishlist.pk, revealed_at__isnull=True).update(
        revealed_at=now or timezone.now()
    )
    wishlist.refresh_from_db(fields=["revealed_at"])
    return wishlist


def wishlist_item_add(
    *,
    wishlist: Wishlist,
    variant_id: int,
    quantity: int = 1,
    note: str = "",
    priority: int = WishlistItem.Priority.NORMAL,
) -> WishlistItem:
    """Put a variant on the list (once: adding it again returns the item already there),
    remembering its price now (a lower one later shows as a price drop). Raises
    VARIANT_UNAVAILABLE (field "variant") for an unknown or unpublished variant."""
    from shop.cart.selectors import variant_get_for_cart

    _quantity_check(quantity)
    variant = variant_get_for_cart(variant_id=variant_id)
    if variant is None or not variant.product.is_published:
        raise DomainError(
            "Sorry, that item is not available.",
            code=WishlistError.VARIANT_UNAVAILABLE,
            field="variant",
        )
    item, created = WishlistItem.objects.get_or_create(
        wishlist=wishlist,
        variant=variant,
        defaults={
            "quantity": quantity,
            "note": note[:300],
            "priority": priority,
            "price_when_added": variant.price,
        },
    )
    if created:
        activity.wish_activity_record(item=item)
    return item


def wishlist_default_for_owner(*, owner) -> Wishlist:
    """Return OWNER's newest list, creating "My wishlist" when they have none (where a card's
    "Add to wishlist" and the cart's "Move to wishlist" put what they add)."""
    from gifting.wishlists.selectors import wishlist_list_for_owner

    newest = wishlist_list_for_owner(owner=owner).first()
    return newest if newest is not None else wishlist_create(owner=owner, title="My wishlist")


@transaction.atomic
def wishlist_item_from_cart(*, owner, cart, line_id: int) -> WishlistItem:
    """Move the cart line LINE_ID of OWNER's CART to their newest list (a new "My wishlist"
    if they have none): its option, as many as in the cart (an option already wished for
    keeps the larger of the two quantities), then the line leaves the cart. All or nothing.
    Raises Http404 for a line not in CART; VARIANT_UNAVAILABLE for an unpublished product."""
    from django.http import Http404

    from shop.cart.selectors import cart_line_get
    from shop.cart.services import cart_item_remove

    line = cart_line_get(cart=cart, line_id=line_id)
    if line is None:
        raise Http404("No such line in your cart.")
    wishlist = wishlist_default_for_owner(owner=owner)
    quantity = max(1, min(line.quantity, QUANTITY_MAX))
    item = wishlist_item_add(wishlist=wishlist, variant_id=line.variant_id, quantity=quantity)
    if item.quantity < quantity:
        # Conditional: a concurrent edit of the wish that raised it further is kept.
        WishlistItem.objects.filter(pk=item.pk, quantity__lt=quantity).update(quantity=quantity)
        item.quantity = quantity
    cart_item_remove(cart=cart, line_id=line.pk)
    return item


def wishlist_item_update(
    *, item: WishlistItem, quantity: int, note: str, priority: int
) -> WishlistItem:
    _quantity_check(quantity)
    if priority not in WishlistItem.Priority.values:
        raise DomainError(
            "Choose a priority.", code=WishlistError.INVALID_QUANTITY, field="priority"
        )
    item.quantity, item.note, item.priority = quantity, (note or "")[:300], priority
    item.save(update_fields=["quantity", "note", "priority"])
    return item


def wishlist_item_remove(*, item: WishlistItem) -> None:
    activity.wish_activity_delete(item_id=item.pk)
    item.delete()


def wishlist_item_to_cart(*, item: WishlistItem, cart):
    """Put the item's variant, as many as wanted, in CART (the owner buys it themselves)."""
    from shop.cart.services import cart_item_add

    return cart_item_add(cart=cart, variant_id=item.variant_id, quantity=item.quantity)


# --- claims ---------------------------------------------------------------------------------------


@transaction.atomic
def claim_create(
    *, item: WishlistItem, claimer, quantity: int = 1, link_opened: bool = False
) -> Claim:
    """Reserve QUANTITY units of ITEM for CLAIMER, who must be allowed to see the list (by the
    audience rule; LINK_OPENED: they came through its link) and not own it.

    Takes the item's row lock, then counts what is taken: a concurrent claim waits and then
    sees this one. A claimer with a reservation of the item adds to it. Raises OWN_LIST,
    NOT_FOUND, INVALID_QUANTITY and SOLD_OUT (field "quantity").
    """
    _quantity_check(quantity)
    locked = (
        WishlistItem.objects.select_for_update(of=("self",))
        .select_related("wishlist__owner")
        .filter(pk=item.pk)
        .first()
    )
    if locked is None:
        raise DomainError("This wish is no longer on the list.", code=WishlistError.NOT_FOUND)
    wishlist = locked.wishlist
    if wishlist.owner_id == claimer.pk:
        raise DomainError(
            "This is your own list: your friends claim its gifts.", code=WishlistError.OWN_LIST
        )
    seen = audience_allows(
        viewer=claimer,
        owner=wishlist.owner,
        visibility=wishlist.visibility,
        link_opened=link_opened,
    )
    if not seen:
        raise DomainError("This wish is no longer on the list.", code=WishlistError.NOT_FOUND)
    taken = (
        Claim.objects.filter(item_id=locked.pk, status__in=TAKEN).aggregate(n=Sum("quantity"))["n"]
        or 0
    )
    left = max(locked.quantity - taken, 0)
    if quantity > left:
        message = (
            "Sorry, someone has just claimed this gift: nothing is left to claim."
            if left == 0
            else f"Sorry, only {left} left to claim."
        )
        raise DomainError(message, code=WishlistError.SOLD_OUT, field="quantity")
    claim = Claim.objects.filter(
        item_id=locked.pk, claimer_id=claimer.pk, status=Claim.Status.RESERVED
    ).first()
    if claim is not None:
        claim.quantity += quantity  # under the item's lock: no other writer of this claim
        claim.save(update_fields=["quantity"])
        return claim
    return Claim.objects.create(item=locked, claimer=claimer, quantity=quantity)


def _illegal(claim: Claim, to: str) -> DomainError:
    return DomainError(
        f"This claim is {claim.get_status_display().lower()}: it cannot be {to}.",
        code=WishlistError.ILLEGAL_TRANSITION,
    )


def claim_release(*, claim: Claim, by, now: datetime | None = None) -> Claim:
    """Release CLAIMER's reservation (reserved -> released). Raises NOT_CLAIMER, HELD (a
    registered holder keeps it: the organiser's gift pool) and ILLEGAL_TRANSITION."""
    if claim.claimer_id != by.pk:
        raise DomainError("Only who claimed it can release it.", code=WishlistError.NOT_CLAIMER)
    _not_held_check(claim, action="released")
    changed = Claim.objects.filter(pk=claim.pk, status=Claim.Status.RESERVED).update(
        status=Claim.Status.RELEASED,
        release_reason=Claim.ReleaseReason.CLAIMER,
        released_at=now or timezone.now(),
    )
    claim.refresh_from_db()
    if not changed:
        raise _illegal(claim, "released")
    return claim


def claim_buy(*, claim: Claim, cart):
    """Put the units CLAIM reserved in CART (at least as many: pressing twice buys once), so
    its claimer checks out with them. Raises ILLEGAL_TRANSITION (no longer reserved), HELD (a
    registered holder keeps it: the gift pool buys it) and the cart's VARIANT_UNAVAILABLE and
    OUT_OF_STOCK."""
    from shop.cart.services import cart_item_ensure

    if claim.status != Claim.Status.RESERVED:
        raise _illegal(claim, "bought")
    _not_held_check(claim, action="bought")
    return cart_item_ensure(cart=cart, variant_id=claim.item.variant_id, quantity=claim.quantity)


def claim_purchase(*, claim: Claim, order_id: int | None, now: datetime | None = None) -> Claim:
    """Mark a reservation bought (reserved -> purchased) by ORDER_ID. Raises
    ILLEGAL_TRANSITION."""
    changed = Claim.objects.filter(pk=claim.pk, status=Claim.Status.RESERVED).update(
        status=Claim.Status.PURCHASED, order_id=order_id, purchased_at=now or timezone.now()
    )
    claim.refresh_from_db()
    if not changed:
        raise _illegal(claim, "purchased")
    return claim


def claims_purchase_undo_for_order(*, order_id: int, now: datetime | None = None) -> int:
    """The shop cancelled (or refunded in full) ORDER_ID: every claim it bought (a wish bought
    directly, or a gift pool's) goes back to its list, purchased -> released (reason ORDER), so
    someone may claim it again; return how many. Safe to run twice (only the purchased claims
    of that order change)."""
    return Claim.objects.filter(order_id=order_id, status=Claim.Status.PURCHASED).update(
        status=Claim.Status.RELEASED,
        release_reason=Claim.ReleaseReason.ORDER,
        released_at=now or timezone.now(),
    )


def claims_purchase_for_order(*, order_id: int, now: datetime | None = None) -> int:
    """Mark purchased the buyer's reserved claims of the variants their paid order ORDER_ID
    holds; return how many. Safe to run twice (only reserved claims change)."""
    from shop.orders.selectors import order_customer_get, order_lines_purchased_by

    customer = order_customer_get(order_id=order_id)
    if customer is None:
        return 0
    variant_ids = order_lines_purchased_by(customer_id=customer.pk).filter(order_id=order_id)
    return Claim.objects.filter(
        claimer_id=customer.pk,
        status=Claim.Status.RESERVED,
        item__variant_id__in=variant_ids.values("variant_id"),
    ).update(status=Claim.Status.PURCHASED, order_id=order_id, purchased_at=now or timezone.now())


# Another app holding claims for longer than WISHLIST_CLAIM_DAYS (a gift pool holds its wish's
# claim while it collects): each holder is a pair of callables returning the claim ids it
# keeps, and those it let go of (released on the next run, whatever their age).
_claim_holders: list[tuple[Callable[[], QuerySet], Callable[[], QuerySet]]] = []


def claim_holder_register(*, held: Callable[[], QuerySet], ended: Callable[[], QuerySet]) -> None:
    """Register a holder of claims (from an AppConfig.ready()): HELD() gives the ids of the
    claims claims_expire must keep however old, ENDED() those it releases at once. The
    wishlists app imports nothing of the holder's."""
    _claim_holders.append((held, ended))


def _not_held_check(claim: Claim, *, action: str) -> None:
    """Raise HELD if a registered holder keeps CLAIM (one query per holder): its claimer's
    gift pool buys the gift, and lets the claim go when it is closed."""
    for held, _ in _claim_holders:
        if Claim.objects.filter(pk=claim.pk, pk__in=held()).exists():
            raise DomainError(
                f"Your gift pool holds this gift: it cannot be {action} here. Close the pool "
                "to let it go.",
                code=WishlistError.HELD,
            )


def claim_release_held(*, claim: Claim, now: datetime | None = None) -> bool:
    """Release CLAIM, reserved for a holder that no longer needs it (a pool cancelled or
    refunded): reserved -> released, as an expired one. Idempotent: False if it was not
    reserved."""
    changed = Claim.objects.filter(pk=claim.pk, status=Claim.Status.RESERVED).update(
        status=Claim.Status.RELEASED,
        release_reason=Claim.ReleaseReason.EXPIRED,
        released_at=now or timezone.now(),
    )
    claim.refresh_from_db()
    return bool(changed)


def claims_expire(*, now: datetime | None = None) -> int:
    """Release reservations left unpaid for WISHLIST_CLAIM_DAYS, but those a registered
    holder keeps, and those a holder let go of; return how many. A second run finds none."""
    now = now or timezone.now()
    due = Q(reserved_at__lt=now - timedelta(days=settings.WISHLIST_CLAIM_DAYS))
    for held, ended in _claim_holders:
        due = (due & ~Q(pk__in=held())) | Q(pk__in=ended())
    return Claim.objects.filter(due, status=Claim.Status.RESERVED).update(
        status=Claim.Status.RELEASED, release_reason=Claim.ReleaseReason.EXPIRED, released_at=now
    )
