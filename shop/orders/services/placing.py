"""Placing an order: the cart becomes an order waiting for payment, its stock taken."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from shop.accounts.services import address_add
from shop.cart.models import Cart
from shop.cart.selectors import cart_summary, discount_amount
from shop.cart.services import discount_check, discount_use
from shop.core.errors import DomainError
from shop.orders import outbox, tasks
from shop.orders.errors import OrderError
from shop.orders.models import (
    Order,
    OrderLine,
    OrderTransition,
    ShippingMethod,
    order_number_new,
)
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


@dataclass(frozen=True)
class AddressInput:
    full_name: str
    line1: str
    line2: str
    postal_code: str
    city: str
    country: str
    phone: str = ""


def _address_clean(address: AddressInput) -> AddressInput:
    values = {name: (getattr(address, name) or "").strip() for name in AddressInput.__annotations__}
    labels = {
        "full_name": "full name",
        "line1": "address",
        "postal_code": "postal code",
        "city": "city",
        "country": "country",
    }
    for name, label in labels.items():
        if not values[name]:
            raise DomainError(
                f"Please enter the {label} to ship to.", code=OrderError.INVALID_ADDRESS, field=name
            )
    values["country"] = values["country"].upper()
    if len(values["country"]) != 2 or not values["country"].isalpha():
        raise DomainError(
            "Use the two-letter country code, e.g. FR.",
            code=OrderError.INVALID_ADDRESS,
            field="country",
        )
    return AddressInput(**values)


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


@transaction.atomic
def order_place(
    *,
    cart: Cart,
    customer,
    email: str,
    address: AddressInput,
    shipping_method_id: int,
    save_address: bool = False,
) -> Order:
    """Turn the cart into an order waiting for payment, taking its stock.

    Prices come from the variants now, never from the client. The cart is left as it is
    (a failed payment must not lose it); paying the order clears it. An older unpaid order
    of the same cart is cancelled and its stock put back. Raises EMPTY_CART,
    ITEM_UNAVAILABLE, INVALID_SHIPPING_METHOD, INVALID_ADDRESS, INVALID_EMAIL,
    catalog's OUT_OF_STOCK (field "cart") and cart's DISCOUNT_* (field "code").
    """
    customer = _actor(customer)
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(
            "Enter a valid email address.", code=OrderError.INVALID_EMAIL, field="email"
        ) from None
    address = _address_clean(address)
    method = ShippingMethod.objects.filter(pk=shipping_method_id, is_active=True).first()
    if method is None:
        raise DomainError(
            "Choose one of the shipping methods offered.",
            code=OrderError.INVALID_SHIPPING_METHOD,
            field="shipping_method",
        )

    locked = _cart_lock(token=cart.token)
    summary = cart_summary(cart=locked)
    if locked is None or summary.is_empty:
        raise DomainError("Your cart is empty.", code=OrderError.EMPTY_CART, field="cart")
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
                unit_price=variant.price,
                quantity=item.quantity,
                line_total=variant.price * item.quantity,
            )
        )
    subtotal = sum(line.line_total for line in lines)
    number = order_number_new()

    release: dict[int, int] = defaultdict(int)
    older = Order.objects.select_for_update().filter(
        cart_token=locked.token, status=Status.PENDING_PAYMENT
    )
    replaced = []
    for old in older.order_by("pk"):
        _order_transition(old, Status.CANCELLED, by=customer, note=f"Replaced by order {number}.")
        for variant_id, quantity in _stock_release_claim(old).items():
            release[variant_id] += quantity
        outbox.order_event_record(topic="order.cancelled", order=old)
        replaced.append(old)
    # Raises OUT_OF_STOCK: the whole transaction rolls back, the older order included.
    _stock_move(release=dict(release), take=dict(take))

    discount = None
    discount_total = 0
    # The order this one replaces gives its use of a code back first: re-placing an order
    # with a single-use code must not find the code used up by that very order.
    for old in replaced:
        _discount_use_return(old)
    if summary.discount is not None:
        # Raises DISCOUNT_* when the code no longer applies: the shopper is told and may
        # remove it, rather than paying a price they did not see.
        discount = discount_check(code=summary.discount.code, subtotal=subtotal)
        discount_total = min(discount_amount(discount=discount, subtotal=subtotal), subtotal)
        discount_use(discount=discount)  # conditional UPDATE; raises DISCOUNT_EXHAUSTED

    order = Order(
        number=number,
        customer=customer,
        email=email,
        currency=settings.STORE_CURRENCY,
        subtotal=subtotal,
        discount_total=discount_total,
        shipping_total=method.price,
        total=subtotal - discount_total + method.price,
        discount_code=discount.code if discount else "",
        discount=discount,
        discount_counted=discount is not None,
        cart_token=locked.token,
        ship_full_name=address.full_name,
        ship_line1=address.line1,
        ship_line2=address.line2,
        ship_postal_code=address.postal_code,
        ship_city=address.city,
        ship_country=address.country,
        ship_phone=address.phone,
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
    if save_address and customer is not None:
        _address_save(customer=customer, address=address)
    outbox.order_event_record(topic="order.placed", order=order)
    transaction.on_commit(partial(tasks.order_placed_notify.delay, order_id=order.pk))
    if order.total == 0:
        # A discount (and free shipping) covered everything: there is nothing for a gateway
        # to charge (gateways refuse 0), so the order is paid as it is placed.
        _order_paid_apply(order, payment=None, cart=locked, note="Nothing to pay.")
    return order
