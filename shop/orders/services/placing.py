"""Placing an order: the cart becomes an order waiting for payment, its stock taken."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from shop.accounts.services import address_add
from shop.cart.models import Cart, DiscountCode
from shop.cart.selectors import CartSummary, cart_summary
from shop.cart.services import discount_check, discount_use
from shop.core.errors import DomainError
from shop.core.validators import id_is_valid
from shop.orders import outbox
from shop.orders.addresses import AddressInput, address_input_clean
from shop.orders.errors import OrderError
from shop.orders.models import (
    Order,
    OrderLine,
    OrderTransition,
    ShippingMethod,
    order_number_new,
)
from shop.orders.selectors import CheckoutTotals, checkout_totals, shipping_method_get
from shop.orders.services.paying import _order_paid_apply
from shop.orders.services.transitions import (
    _actor,
    _cart_lock,
    _discount_use_return,
    _order_transition,
    _stock_move,
    _stock_release_claim,
)

Status = Order.Status
EMAIL_MAX_LENGTH = Order._meta.get_field("email").max_length


def _address_save(*, customer, address: AddressInput) -> None:
    """Keep the address in the customer's address book (shop.accounts owns it)."""
    address_add(
        user=customer,
        full_name=address.full_name,
        line1=address.line1,
        line2=address.line2,
        postal_code=address.postal_code,
        city=address.city,
        country=address.country,
        phone=address.phone,
    )


def _email_for_order(*, customer, email: str) -> str:
    """Return the address the order's emails go to.

    A signed-in shopper's order uses their account's email whatever was typed or sent (the
    confirmation must reach the account, and the order list is the account's); a guest's is
    the one given. Raises INVALID_EMAIL.
    """
    if customer is not None and customer.email:
        return customer.email
    email = email.strip() if isinstance(email, str) else ""
    if not email:
        raise DomainError(
            "Enter your email address: the confirmation goes there.",
            code=OrderError.INVALID_EMAIL,
            field="email",
        )
    try:
        validate_email(email)
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
    except ValidationError:
        raise DomainError(
            "Enter a valid email address.", code=OrderError.INVALID_EMAIL, field="email"
        ) from None
    return email


def _shipping_method_get(*, shipping_method_id: int) -> ShippingMethod:
    """Return the active shipping method; raises INVALID_SHIPPING_METHOD."""
    method = (
        shipping_method_get(shipping_method_id=shipping_method_id)
        if id_is_valid(shipping_method_id)
        else None
    )
    if method is None:
        raise DomainError(
            "Choose one of the shipping methods offered.",
            code=OrderError.INVALID_SHIPPING_METHOD,
            field="shipping_method",
        )
    return method


def _order_lines_build(summary: CartSummary) -> tuple[list[OrderLine], dict[int, int]]:
    """Return the order's lines (prices copied from the variants now) and the units to take
    per variant. Raises ITEM_UNAVAILABLE (field "cart") for an unpublished product."""
    take: dict[int, int] = defaultdict(int)
    lines: list[OrderLine] = []
    for item in summary.lines:
        variant = item.variant
        product = variant.product
        if not product.is_published:
            raise DomainError(
                f"Sorry, {product.title} is no longer sold; please remove it from your cart.",
                code=OrderError.ITEM_UNAVAILABLE,
                field="cart",
            )
        take[variant.pk] += item.quantity
        lines.append(
            OrderLine(
                merchant_id=product.merchant_id,
                variant=variant,
                product_title=product.title,
                product_slug=product.slug,
                variant_name=variant.name,
                sku=variant.sku,
                unit_price=item.unit_price,
                quantity=item.quantity,
                line_total=item.line_total,
            )
        )
    return lines, dict(take)


def _older_orders_replace(*, cart_token: str, number: str, by) -> tuple[list[Order], dict]:
    """Cancel the cart's older unpaid orders (locked, in primary-key order), replaced by order
    `number`. Return them and the units their stock gives back, not put back yet: the caller
    moves stock in one pass (see _stock_move)."""
    release: dict[int, int] = defaultdict(int)
    older = Order.objects.select_for_update().filter(
        cart_token=cart_token, status=Status.PENDING_PAYMENT
    )
    replaced = []
    for old in older.order_by("pk"):
        _order_transition(old, Status.CANCELLED, by=by, note=f"Replaced by order {number}.")
        for variant_id, quantity in _stock_release_claim(old).items():
            release[variant_id] += quantity
        outbox.order_event_record(topic="order.cancelled", order=old)
        replaced.append(old)
    return replaced, dict(release)


def _discount_take(*, summary: CartSummary, replaced: list[Order]) -> DiscountCode | None:
    """Count the order's use of the cart's discount code, if it has one.

    Raises DISCOUNT_* (field "code") when the code no longer applies: the shopper is told and
    may remove it, rather than paying a price they did not see.
    """
    # The order this one replaces gives its use of a code back first: re-placing an order
    # with a single-use code must not find the code used up by that very order.
    for old in replaced:
        _discount_use_return(old)
    if summary.discount is None:
        return None
    discount = discount_check(code=summary.discount.code, subtotal=summary.subtotal)
    discount_use(discount=discount)  # conditional UPDATE; raises DISCOUNT_EXHAUSTED
    return discount


def _order_create(
    *,
    number: str,
    customer,
    email: str,
    cart_token: str,
    attribution: str = "",
    address: AddressInput,
    ship_to_label: str = "",
    method: ShippingMethod,
    totals: CheckoutTotals,
    discount: DiscountCode | None,
    lines: list[OrderLine],
) -> Order:
    """Save the order, its lines and its first history row (placed, waiting for payment)."""
    order = Order(
        number=number,
        customer=customer,
        email=email,
        currency=settings.STORE_CURRENCY,
        subtotal=totals.subtotal,
        discount_total=totals.discount_total,
        shipping_total=totals.shipping_total,
        total=totals.total,
        vat_rate=totals.vat_rate,
        vat_total=totals.vat_total,
        discount_code=discount.code if discount else "",
        discount=discount,
        discount_counted=discount is not None,
        cart_token=cart_token,
        attribution=attribution[: Order._meta.get_field("attribution").max_length],
        ship_full_name=address.full_name,
        ship_line1=address.line1,
        ship_line2=address.line2,
        ship_postal_code=address.postal_code,
        ship_city=address.city,
        ship_country=address.country,
        ship_phone=address.phone,
        ship_to_label=ship_to_label[: Order._meta.get_field("ship_to_label").max_length],
        shipping_method=method,
        shipping_method_name=method.name,
        expires_at=timezone.now() + timedelta(minutes=settings.ORDER_PAYMENT_TIMEOUT_MINUTES),
    )
    order.save()
    for line in lines:
        line.order = order
    OrderLine.objects.bulk_create(lines)
    OrderTransition.objects.create(
        order=order, from_status="", to_status=Status.PENDING_PAYMENT, by=customer, note="Placed."
    )
    return order


@transaction.atomic
def order_place(
    *,
    cart: Cart,
    customer,
    email: str,
    address: AddressInput,
    shipping_method_id: int,
    save_address: bool = False,
    attribution: str = "",
    ship_to_label: str = "",
) -> Order:
    """Turn the cart into an order waiting for payment, taking its stock.

    Every checkout rule is checked here, whoever calls (page, API, a later app): the address
    (addresses.address_input_clean: countries shipped to, phone, lengths), the email (a
    signed-in customer's order uses their account's), the shipping method. Prices come from
    the variants now, never from the client, through the same selector as the review page
    (selectors.checkout_totals), which also gives the VAT the order keeps (rate and amount, so
    a later change of the store's rate changes no order). The cart is left as it is (a failed
    payment must not lose it); paying the order clears it. An older unpaid order of the same
    cart is cancelled and its stock put back. Raises EMPTY_CART, ITEM_UNAVAILABLE,
    INVALID_SHIPPING_METHOD, INVALID_ADDRESS, INVALID_EMAIL, catalog's OUT_OF_STOCK (field
    "cart") and cart's DISCOUNT_* (field "code"). ATTRIBUTION (shop.orders.attribution: where
    the shopper came from, opaque here) is kept on the order as it is, cut to its length.
    SHIP_TO_LABEL: the address is one the buyer may not see (shop.orders.destinations); the
    buyer reads this label instead, and the address is never saved to their address book.
    """
    customer = _actor(customer)
    email = _email_for_order(customer=customer, email=email)
    address = address_input_clean(address)
    method = _shipping_method_get(shipping_method_id=shipping_method_id)

    locked = _cart_lock(token=cart.token)
    summary = cart_summary(cart=locked)
    if locked is None or summary.is_empty:
        raise DomainError("Your cart is empty.", code=OrderError.EMPTY_CART, field="cart")
    lines, take = _order_lines_build(summary)
    number = order_number_new()
    replaced, release = _older_orders_replace(cart_token=locked.token, number=number, by=customer)
    # Raises OUT_OF_STOCK: the whole transaction rolls back, the older order included.
    _stock_move(release=release, take=take)
    discount = _discount_take(summary=summary, replaced=replaced)
    order = _order_create(
        number=number,
        customer=customer,
        email=email,
        cart_token=locked.token,
        attribution=attribution,
        address=address,
        ship_to_label=ship_to_label,
        method=method,
        totals=checkout_totals(
            subtotal=summary.subtotal, discount=discount, shipping_method=method
        ),
        discount=discount,
        lines=lines,
    )
    if save_address and customer is not None and not ship_to_label:
        _address_save(customer=customer, address=address)
    outbox.order_event_record(topic="order.placed", order=order)
    outbox.order_email_record(email="placed", order_id=order.pk)
    if order.total == 0:
        # A discount (and free shipping) covered everything: there is nothing for a gateway
        # to charge (gateways refuse 0), so the order is paid as it is placed.
        _order_paid_apply(order, payment=None, cart=locked, note="Nothing to pay.")
    return order
