"""Every change to a cart or a discount code.

Lines change under a lock on their cart's row (an UPDATE of cart.updated_at, which also
records the activity), so two tabs adding the same variant at once end with one line holding
both quantities, never two lines or a lost update. The (cart, variant) unique constraint
backs this up. Prices are never written here: summaries read them from the variants.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from shop.cart import selectors
from shop.cart.errors import CartError
from shop.cart.models import Cart, CartLine, DiscountCode
from shop.core.errors import DomainError
from shop.core.validators import id_is_valid, text_has_control_characters

# The most units of one variant a cart holds (a shop, not a wholesaler).
MAX_QUANTITY = 99


def _quantity_check(quantity: int, *, allow_zero: bool = False) -> None:
    low = 0 if allow_zero else 1
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int)
        or not (low <= quantity <= MAX_QUANTITY)
    ):
        raise DomainError(
            f"Enter a quantity from {low} to {MAX_QUANTITY}.",
            code=CartError.INVALID_QUANTITY,
            field="quantity",
        )


def _cart_lock(*, cart: Cart) -> None:
    """Lock `cart`'s row until the end of the caller's transaction.

    An UPDATE takes the same row lock as SELECT ... FOR UPDATE (and on SQLite the database's
    write lock), and records when the cart last changed. Raises Http404 if the cart is gone
    (merged into the shopper's account by a login in another tab).
    """
    if not Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now()):
        raise Http404("No such cart.")


def cart_lock(*, token: str) -> Cart | None:
    """Lock the cart with `token` (SELECT ... FOR UPDATE) for the caller's transaction.

    Return it with its discount code, or None if there is no such cart. Orders take this lock
    first when they place or pay from a cart: two submissions of the same cart (a double
    click, two tabs) run one after the other.
    """
    if not token:
        return None
    return Cart.objects.select_for_update().filter(token=token).first()


def cart_get_or_create(*, user, token: str | None) -> Cart:
    """Return the signed-in `user`'s cart, or the visitor cart with `token`, creating it.

    A visitor whose token finds no cart (none yet, or it was emptied by an order) gets a new
    cart with a new token; the caller keeps that token in the visitor's session.
    """
    if user is not None and user.is_authenticated:
        # get_or_create re-reads the row if a concurrent request inserted it first.
        return Cart.objects.select_related("discount_code").get_or_create(user=user)[0]
    cart = selectors.cart_get(user=None, token=token)
    return cart if cart is not None else Cart.objects.create()


@transaction.atomic
def cart_item_add(*, cart: Cart, variant_id: int, quantity: int = 1) -> CartLine:
    """Add `quantity` units of the variant to `cart`, onto its line if it has one.

    The line ends with at most the variant's stock and MAX_QUANTITY units; the returned line
    carries `requested_quantity` (what the shopper asked for in total), so the caller can say
    when it was capped. Raises INVALID_QUANTITY (field "quantity"), VARIANT_UNAVAILABLE
    (unknown variant or unpublished product) and OUT_OF_STOCK (field "variant").
    """
    _quantity_check(quantity)
    variant = selectors.variant_get_for_cart(variant_id=variant_id)
    if variant is None or not variant.product.is_published:
        raise DomainError(
            "Sorry, that item is not available.",
            code=CartError.VARIANT_UNAVAILABLE,
            field="variant",
        )
    if variant.stock <= 0:
        raise DomainError(
            f"Sorry, {selectors.variant_display_name(variant=variant)} is sold out.",
            code=CartError.OUT_OF_STOCK,
            field="variant",
        )
    _cart_lock(cart=cart)
    line = CartLine.objects.filter(cart=cart, variant=variant).first()
    requested = quantity + (line.quantity if line is not None else 0)
    allowed = min(requested, MAX_QUANTITY, variant.stock)
    if line is None:
        line = CartLine.objects.create(cart=cart, variant=variant, quantity=allowed)
    elif line.quantity != allowed:
        # Safe read-modify-write: the cart's row lock serialises every change to its lines.
        line.quantity = allowed
        line.save(update_fields=["quantity"])
    line.variant = variant
    line.requested_quantity = requested
    return line


@transaction.atomic
def cart_item_ensure(*, cart: Cart, variant_id: int, quantity: int) -> CartLine:
    """Make CART hold at least QUANTITY units of the variant (a gift bought for a claim:
    pressing "Buy this gift" twice must not buy it twice). Raises as cart_item_add."""
    _quantity_check(quantity)
    _cart_lock(cart=cart)
    held = (
        CartLine.objects.filter(cart=cart, variant_id=variant_id)
        .values_list("quantity", flat=True)
        .first()
        or 0
    )
    if held >= quantity:
        line = CartLine.objects.select_related("variant").get(cart=cart, variant_id=variant_id)
        line.requested_quantity = held
        return line
    return cart_item_add(cart=cart, variant_id=variant_id, quantity=quantity - held)


@transaction.atomic
def cart_item_set_quantity(*, cart: Cart, line_id: int, quantity: int) -> CartLine | None:
    """Set a line's quantity; 0 removes the line (and returns None).

    Raises Http404 for a line that is not in `cart`, INVALID_QUANTITY, OUT_OF_STOCK (more
    than the stock) and VARIANT_UNAVAILABLE (product unpublished: it can only be removed),
    all on field "quantity".
    """
    _quantity_check(quantity, allow_zero=True)
    _cart_lock(cart=cart)
    line = selectors.cart_line_get(cart=cart, line_id=line_id)
    if line is None:
        raise Http404("No such line in your cart.")
    if quantity == 0:
        line.delete()
        return None
    variant = line.variant
    name = selectors.variant_display_name(variant=variant)
    if not variant.product.is_published:
        raise DomainError(
            f"{name} is no longer available; remove it from your cart.",
            code=CartError.VARIANT_UNAVAILABLE,
            field="quantity",
        )
    if quantity > variant.stock:
        message = (
            f"Sorry, {name} is sold out; remove it from your cart."
            if variant.stock <= 0
            else f"Sorry, only {variant.stock} of {name} left."
        )
        raise DomainError(message, code=CartError.OUT_OF_STOCK, field="quantity")
    if line.quantity != quantity:
        line.quantity = quantity
        line.save(update_fields=["quantity"])
    return line


@transaction.atomic
def cart_item_remove(*, cart: Cart, line_id: int) -> None:
    """Remove a line from `cart`. Raises Http404 if `cart` has no such line."""
    _cart_lock(cart=cart)
    if not id_is_valid(line_id) or not (CartLine.objects.filter(cart=cart, pk=line_id).delete()[0]):
        raise Http404("No such line in your cart.")


def cart_discount_apply(*, cart: Cart, code: str) -> DiscountCode:
    """Apply the discount `code` to `cart` (replacing any other) and return it.

    Raises what discount_check raises, on field "code".
    """
    discount = discount_check(code=code, subtotal=selectors.cart_subtotal(cart=cart))
    Cart.objects.filter(pk=cart.pk).update(discount_code=discount, updated_at=timezone.now())
    cart.discount_code = discount
    return discount


def cart_discount_remove(*, cart: Cart) -> None:
    Cart.objects.filter(pk=cart.pk).update(discount_code=None, updated_at=timezone.now())
    cart.discount_code = None


@transaction.atomic
def cart_merge(*, source: Cart, target: Cart) -> Cart:
    """Move `source`'s lines into `target` (a visitor's cart into their account's) and delete it.

    A variant in both carts gets the sum of the quantities, capped by its stock and
    MAX_QUANTITY (a sold-out variant keeps one unit, so the shopper sees it marked sold out).
    `target` keeps its discount code, or takes `source`'s if it has none.
    """
    if source.pk == target.pk:
        return target
    # Both rows locked, in primary-key order so two merges can never deadlock.
    list(Cart.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk"))
    existing = {line.variant_id: line for line in CartLine.objects.filter(cart=target)}
    to_create, to_update = [], []
    for line in CartLine.objects.filter(cart=source).select_related("variant"):
        kept = existing.get(line.variant_id)
        total = line.quantity + (kept.quantity if kept is not None else 0)
        quantity = max(1, min(total, MAX_QUANTITY, line.variant.stock))
        if kept is None:
            to_create.append(CartLine(cart=target, variant=line.variant, quantity=quantity))
        else:
            kept.quantity = quantity
            to_update.append(kept)
    CartLine.objects.bulk_update(to_update, ["quantity"])
    CartLine.objects.bulk_create(to_create)
    changes = {"updated_at": timezone.now()}
    if target.discount_code_id is None and source.discount_code_id is not None:
        changes["discount_code_id"] = source.discount_code_id
    Cart.objects.filter(pk=target.pk).update(**changes)
    source.delete()
    target.refresh_from_db(fields=["discount_code", "updated_at"])
    return target


@transaction.atomic
def cart_clear(*, cart: Cart) -> None:
    """Empty `cart` and drop its discount code (after its order is paid)."""
    _cart_lock(cart=cart)
    CartLine.objects.filter(cart=cart).delete()
    Cart.objects.filter(pk=cart.pk).update(discount_code=None)
    cart.discount_code = None


@transaction.atomic
def cart_items_remove(
    *, cart: Cart, quantities: dict[int, int], discount_id: int | None = None
) -> None:
    """Take out of `cart` what an order bought from it, once that order is paid.

    `quantities` maps variant id -> units bought: each line loses that many units and goes
    when none are left; the discount code `discount_id` the order used is dropped. What the
    shopper added after placing the order (another product, more units) stays in the cart.
    """
    _cart_lock(cart=cart)
    for variant_id, quantity in sorted(quantities.items()):
        lines = CartLine.objects.filter(cart=cart, variant_id=variant_id)
        # Conditional statements under the cart's lock, no quantity read into Python; the
        # delete first, or a line the update just lowered would be deleted too.
        lines.filter(quantity__lte=quantity).delete()
        lines.filter(quantity__gt=quantity).update(quantity=F("quantity") - quantity)
    if discount_id is not None:
        Cart.objects.filter(pk=cart.pk, discount_code_id=discount_id).update(discount_code=None)
        if cart.discount_code_id == discount_id:
            cart.discount_code = None


# --- abandoned carts --------------------------------------------------------------------------

# A visitor's cart nobody changed for this long is abandoned (their session is long gone).
CART_ABANDONED_AFTER = timedelta(days=30)
# An empty cart (a failed first add leaves one; an order paid empties one) older than this.
CART_EMPTY_ABANDONED_AFTER = timedelta(days=1)
CART_DELETE_CHUNK = 500

# Other apps name the carts they still need, as a queryset of tokens (orders: the carts of
# unpaid orders, which paying will empty). The cart app must not import them, so they
# register here, in their AppConfig.ready().
_cart_keepers: list[Callable[[], QuerySet]] = []


def cart_keeper_register(keeper: Callable[[], QuerySet]) -> None:
    """Register `keeper`: it returns a queryset of the tokens of carts never to delete."""
    if keeper not in _cart_keepers:
        _cart_keepers.append(keeper)


def _carts_abandoned(*, now: datetime) -> QuerySet[Cart]:
    abandoned = Cart.objects.filter(
        Q(user__isnull=True, updated_at__lt=now - CART_ABANDONED_AFTER)
        | Q(
            ~Exists(CartLine.objects.filter(cart=OuterRef("pk"))),
            updated_at__lt=now - CART_EMPTY_ABANDONED_AFTER,
        )
    )
    for keeper in _cart_keepers:
        abandoned = abandoned.exclude(token__in=keeper())
    return abandoned


def cart_abandoned_delete(*, now: datetime | None = None, chunk: int = CART_DELETE_CHUNK) -> int:
    """Delete abandoned carts, `chunk` at a time, and return how many went.

    Abandoned: a visitor's cart untouched (no line or code changed) for 30 days, or any empty
    cart older than a day; never a cart a registered keeper still needs (an unpaid order's).
    Each chunk is its own short transaction that locks its rows skipping those another request
    holds (a checkout of that very cart: picked up next run, if still abandoned), and
    re-checks every condition as it deletes. Safe to run twice, or in two workers at once.
    """
    now = now or timezone.now()
    deleted, after = 0, 0
    while True:
        with transaction.atomic():
            candidates = _carts_abandoned(now=now).filter(pk__gt=after).order_by("pk")
            if connection.features.has_select_for_update_skip_locked:
                candidates = candidates.select_for_update(skip_locked=True)
            pks = list(candidates.values_list("pk", flat=True)[:chunk])
            if not pks:
                return deleted
            after = pks[-1]
            # Conditions again, in the DELETE: a cart changed since the SELECT stays.
            _total, per_model = _carts_abandoned(now=now).filter(pk__in=pks).delete()
            deleted += per_model.get(Cart._meta.label, 0)


# --- discount codes ---------------------------------------------------------------------------


def discount_check(*, code: str, subtotal: int, now: datetime | None = None) -> DiscountCode:
    """Return the discount code `code` (any case) if it can be used on `subtotal` at `now`.

    Raises DISCOUNT_NOT_FOUND, DISCOUNT_INACTIVE, DISCOUNT_NOT_STARTED, DISCOUNT_EXPIRED,
    DISCOUNT_EXHAUSTED or DISCOUNT_MIN_SUBTOTAL (the message says how much more to spend),
    all on field "code".
    """
    typed = (code or "").strip()
    max_length = DiscountCode._meta.get_field("code").max_length
    discount = (
        DiscountCode.objects.filter(code__iexact=typed).first()
        if typed and len(typed) <= max_length and not text_has_control_characters(typed)
        else None
    )
    if discount is None:
        message = (
            f"There is no discount code “{typed[:max_length]}”."
            if typed
            else "Enter a discount code."
        )
        raise DomainError(message, code=CartError.DISCOUNT_NOT_FOUND, field="code")
    problem = selectors.discount_problem(discount=discount, subtotal=subtotal, now=now)
    if problem is not None:
        raise problem
    return discount


def discount_use(*, discount: DiscountCode) -> None:
    """Count one use of `discount` (an order placed with it), within its usage limit.

    A conditional UPDATE (times_used < usage_limit) in the caller's transaction: of two
    orders taking the last use, one matches the row and the other raises DISCOUNT_EXHAUSTED
    (field "code"). Rolled back with the caller's order if that fails later.
    """
    used = (
        DiscountCode.objects.filter(pk=discount.pk)
        .filter(Q(usage_limit__isnull=True) | Q(times_used__lt=F("usage_limit")))
        .update(times_used=F("times_used") + 1)
    )
    if not used:
        raise DomainError(
            f"The code {discount.code} has been used up.",
            code=CartError.DISCOUNT_EXHAUSTED,
            field="code",
        )


def discount_release(*, discount: DiscountCode) -> None:
    """Give back one use of `discount` (its order was cancelled or expired unpaid).

    A conditional UPDATE (times_used > 0), so the count never goes below zero. The caller
    guarantees it gives back an order's use once.
    """
    DiscountCode.objects.filter(pk=discount.pk, times_used__gt=0).update(
        times_used=F("times_used") - 1
    )


def discount_code_save(*, discount: DiscountCode) -> DiscountCode:
    """Validate (the code is unique whatever its case; a percentage is 1-100) and save."""
    discount.code = discount.code.strip()
    discount.full_clean()
    discount.save()
    return discount
