"""Reads of carts and discount codes, used by the cart pages, the API and checkout.

Prices are never stored in a cart: every summary reads them from the variants, so what a
shopper sees (and what checkout charges) is the price of the moment. A summary costs the
same queries for 1 line as for 20: the lines with their variant, product and merchant in one,
the products' images in another.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import F, Sum
from django.utils import timezone

from shop.cart.errors import CartError
from shop.cart.models import Cart, CartLine, DiscountCode
from shop.catalog.selectors import product_images_prefetch, variant_get_with_product
from shop.core.errors import DomainError
from shop.core.money import money_format
from shop.core.validators import id_is_valid

if TYPE_CHECKING:
    from shop.catalog.models import ProductImage, Variant


# --- carts ------------------------------------------------------------------------------------


def cart_get(*, user, token: str | None) -> Cart | None:
    """Return the signed-in `user`'s cart, else the visitor cart with `token`, else None.

    A visitor's token finds only a cart without a user: a signed-in shopper's cart is reached
    through their account alone. No query without a user or a token.
    """
    carts = Cart.objects.select_related("discount_code")
    if user is not None and user.is_authenticated:
        return carts.filter(user=user).first()
    if token:
        return carts.filter(token=token, user__isnull=True).first()
    return None


def cart_item_count(*, cart: Cart | None) -> int:
    """Return how many units are in `cart` (what the header shows)."""
    if cart is None:
        return 0
    total = CartLine.objects.filter(cart=cart).aggregate(total=Sum("quantity"))["total"]
    return total or 0


def cart_subtotal(*, cart: Cart) -> int:
    """Return the cart's subtotal at today's variant prices, in minor units (one query)."""
    total = CartLine.objects.filter(cart=cart).aggregate(
        total=Sum(F("quantity") * F("variant__price"))
    )["total"]
    return total or 0


def cart_line_get(*, cart: Cart, line_id: int) -> CartLine | None:
    """Return the line `line_id` of `cart` with its variant and product, or None."""
    if not id_is_valid(line_id):
        return None
    return CartLine.objects.select_related("variant__product").filter(cart=cart, pk=line_id).first()


def variant_get_for_cart(*, variant_id: int) -> "Variant | None":
    """Return the variant `variant_id` with its product (published or not), or None."""
    if not id_is_valid(variant_id):
        return None
    return variant_get_with_product(variant_id=variant_id)


def variant_display_name(*, variant: "Variant") -> str:
    """Name a variant for the shopper: 'Brass lamp – Large', or 'Blue mug' without a name."""
    product = variant.product
    return f"{product.title} – {variant.name}" if variant.name else product.title


# --- summaries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CartLineSummary:
    """One line as the shopper sees it, priced from the variant now."""

    line_id: int
    variant: "Variant"  # with product, merchant and the product's images (in position order)
    quantity: int
    unit_price: int
    line_total: int
    stock: int
    problem: str  # why this line cannot be checked out as it is; "" when it can

    @property
    def product(self):
        return self.variant.product

    @property
    def image(self) -> "ProductImage | None":
        images = self.variant.product.images.all()  # prefetched
        return images[0] if images else None


@dataclass(frozen=True)
class CartSummary:
    """A cart's lines and totals, recomputed from the variants and the discount code."""

    cart: Cart | None = None
    lines: list[CartLineSummary] = field(default_factory=list)
    subtotal: int = 0
    discount: DiscountCode | None = None
    discount_total: int = 0
    # Set when the applied code no longer applies (expired, used up, spend too low): the
    # code stays on the cart, discount_total is 0, and this says why.
    discount_error: str = ""

    @property
    def discount_applied(self) -> DiscountCode | None:
        """The cart's code if it applies now, else None."""
        return self.discount if self.discount is not None and not self.discount_error else None

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def total(self) -> int:
        """The total before shipping."""
        return self.subtotal - self.discount_total

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def has_problems(self) -> bool:
        return any(line.problem for line in self.lines)


def _line_problem(*, variant: "Variant", quantity: int) -> str:
    if not variant.product.is_published:
        return "No longer available. Remove it to check out."
    if variant.stock <= 0:
        return "Sold out. Remove it to check out."
    if quantity > variant.stock:
        return f"Only {variant.stock} left. Lower the quantity to check out."
    return ""


def cart_summary(*, cart: Cart | None, now: datetime | None = None) -> CartSummary:
    """Price `cart`'s lines from their variants and apply its discount code, if it applies.

    Two queries whatever the number of lines (none for no cart; one for an empty cart).
    """
    if cart is None:
        return CartSummary()
    lines = list(
        CartLine.objects.filter(cart=cart)
        .select_related("variant__product__merchant")
        .prefetch_related(product_images_prefetch("variant__product__images"))
        .order_by("created_at", "id")
    )
    summaries = [
        CartLineSummary(
            line_id=line.pk,
            variant=line.variant,
            quantity=line.quantity,
            unit_price=line.variant.price,
            line_total=line.variant.price * line.quantity,
            stock=line.variant.stock,
            problem=_line_problem(variant=line.variant, quantity=line.quantity),
        )
        for line in lines
    ]
    subtotal = sum(line.line_total for line in summaries)
    discount = cart.discount_code
    discount_total, discount_error = 0, ""
    if discount is not None:
        problem = discount_problem(discount=discount, subtotal=subtotal, now=now)
        if problem is None:
            discount_total = discount_amount(discount=discount, subtotal=subtotal)
        else:
            discount_error = problem.message
    return CartSummary(
        cart=cart,
        lines=summaries,
        subtotal=subtotal,
        discount=discount,
        discount_total=discount_total,
        discount_error=discount_error,
    )


# --- discount codes ---------------------------------------------------------------------------


def discount_code_taken(*, code: str, exclude_id: int | None = None) -> bool:
    """Whether another discount code is spelt `code`, whatever the case."""
    return DiscountCode.objects.filter(code__iexact=code).exclude(pk=exclude_id).exists()


def discount_amount(*, discount: DiscountCode, subtotal: int) -> int:
    """Return what `discount` takes off `subtotal` (minor units), never more than the subtotal.

    A percentage is rounded to the nearest cent, halves up: 15% of €0.50 is €0.08.
    """
    if subtotal <= 0:
        return 0
    if discount.kind == DiscountCode.Kind.PERCENT:
        amount = (subtotal * discount.value + 50) // 100
    else:
        amount = discount.value
    return max(0, min(amount, subtotal))


def discount_describe(*, discount: DiscountCode) -> str:
    """Return what the code gives, for people: '10% off' or '€5.00 off'."""
    if discount.kind == DiscountCode.Kind.PERCENT:
        return f"{discount.value}% off"
    return f"{money_format(discount.value)} off"


def discount_problem(
    *, discount: DiscountCode, subtotal: int, now: datetime | None = None
) -> DomainError | None:
    """Return why `discount` cannot be used on `subtotal` at `now`, or None if it can.

    The error carries one of DISCOUNT_INACTIVE, DISCOUNT_NOT_STARTED, DISCOUNT_EXPIRED,
    DISCOUNT_EXHAUSTED, DISCOUNT_MIN_SUBTOTAL, on field "code". The usage limit read here
    may be stale by the time an order is placed: services.discount_use enforces it.
    """
    now = now or timezone.now()
    code = discount.code
    if not discount.is_active:
        return DomainError(
            f"The code {code} is no longer valid.", code=CartError.DISCOUNT_INACTIVE, field="code"
        )
    if discount.starts_at is not None and now < discount.starts_at:
        starts = timezone.localtime(discount.starts_at)
        return DomainError(
            f"The code {code} can be used from {starts.day} {starts:%B %Y}.",
            code=CartError.DISCOUNT_NOT_STARTED,
            field="code",
        )
    if discount.ends_at is not None and now >= discount.ends_at:
        return DomainError(
            f"The code {code} has expired.", code=CartError.DISCOUNT_EXPIRED, field="code"
        )
    if discount.usage_limit is not None and discount.times_used >= discount.usage_limit:
        return DomainError(
            f"The code {code} has been used up.", code=CartError.DISCOUNT_EXHAUSTED, field="code"
        )
    if subtotal < discount.min_subtotal:
        return DomainError(
            f"Spend {money_format(discount.min_subtotal - subtotal)} more to use the code "
            f"{code} (it needs a subtotal of {money_format(discount.min_subtotal)}).",
            code=CartError.DISCOUNT_MIN_SUBTOTAL,
            field="code",
        )
    return None
