"""Every write to orders: placing, paying, shipping, delivering, cancelling, refunding, expiring.

An order changes status only through _order_transition, which checks the table of legal
transitions, locks the row and records who moved it from what to what.

Lock order (every service here takes its locks in this order, so two of them never wait on
each other in a circle): the cart (by the order's cart token) → orders (primary-key order) →
variants (primary-key order, catalog.variant_stock_take/release) → the discount code
(cart.discount_use) → products (units sold).

Money that leaves or enters through the payment gateway is handled last in a transaction,
so nothing that can still fail after the gateway call rolls back our record of it.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from shop.accounts.services import address_add
from shop.cart.models import Cart, DiscountCode
from shop.cart.selectors import cart_summary, discount_amount
from shop.cart.services import cart_clear, discount_check, discount_release, discount_use
from shop.catalog.models import Merchant
from shop.catalog.selectors import merchants_of_user
from shop.catalog.services import (
    product_units_sold_add,
    variant_stock_release,
    variant_stock_take,
)
from shop.core.errors import DomainError
from shop.core.money import money_format
from shop.orders import outbox, tasks
from shop.orders.errors import OrderError
from shop.orders.models import (
    Fulfilment,
    Order,
    OrderLine,
    OrderRefund,
    OrderTransition,
    ShippingMethod,
    order_number_new,
)
from shop.payments import services as payment_services
from shop.payments.models import Payment
from shop.payments.selectors import payment_get, payment_latest_for_reference

logger = logging.getLogger(__name__)

Status = Order.Status
ORDER_REFERENCE_PREFIX = "order:"
# How many overdue orders one run of the expiry task handles (beat runs it every minute).
EXPIRE_BATCH_SIZE = 500

SHIPPING_METHODS_DEFAULT = [
    {
        "code": "standard",
        "name": "Standard delivery",
        "description": "3-5 working days",
        "price": 490,
        "position": 1,
    },
    {
        "code": "express",
        "name": "Express delivery",
        "description": "Next working day",
        "price": 990,
        "position": 2,
    },
    {
        "code": "pickup",
        "name": "Pickup point",
        "description": "Collect it from a pickup point near you, free",
        "price": 0,
        "position": 3,
    },
]


@dataclass(frozen=True)
class AddressInput:
    full_name: str
    line1: str
    line2: str
    postal_code: str
    city: str
    country: str
    phone: str = ""


# --- transitions ------------------------------------------------------------------------------

# Every legal status change. CANCELLED → PAID is taken only by a payment that succeeds after
# its order expired, while the stock can still be taken again (see order_mark_paid).
_TRANSITIONS: dict[str, set[str]] = {
    Status.PENDING_PAYMENT: {Status.PAID, Status.CANCELLED},
    Status.PAID: {Status.PARTIALLY_FULFILLED, Status.FULFILLED, Status.CANCELLED, Status.REFUNDED},
    Status.PARTIALLY_FULFILLED: {Status.FULFILLED, Status.REFUNDED},
    Status.FULFILLED: {Status.DELIVERED, Status.REFUNDED},
    Status.DELIVERED: {Status.REFUNDED},
    Status.CANCELLED: {Status.PAID},
    Status.REFUNDED: set(),
}
# For the error message: "A shipped order cannot be cancelled."
_STATUS_ADJECTIVE = {
    Status.PENDING_PAYMENT: "an unpaid",
    Status.PAID: "a paid",
    Status.PARTIALLY_FULFILLED: "a partly shipped",
    Status.FULFILLED: "a shipped",
    Status.DELIVERED: "a delivered",
    Status.CANCELLED: "a cancelled",
    Status.REFUNDED: "a refunded",
}
_TARGET_VERB = {
    Status.PENDING_PAYMENT: "reopened",
    Status.PAID: "paid",
    Status.PARTIALLY_FULFILLED: "shipped",
    Status.FULFILLED: "shipped",
    Status.DELIVERED: "marked delivered",
    Status.CANCELLED: "cancelled",
    Status.REFUNDED: "refunded",
}


def _illegal_transition(current: str, to: str) -> DomainError:
    adjective = _STATUS_ADJECTIVE[current]
    return DomainError(
        f"{adjective[0].upper()}{adjective[1:]} order cannot be {_TARGET_VERB[to]}.",
        code=OrderError.ILLEGAL_TRANSITION,
        field="status",
    )


def _transition_check(order: Order, to: str) -> None:
    """Raise ILLEGAL_TRANSITION unless `order` (as last read) may move to `to`."""
    if to not in _TRANSITIONS[order.status]:
        raise _illegal_transition(order.status, to)


def _actor(by):
    """The user to record as having acted: None for the system and for visitors."""
    return by if getattr(by, "is_authenticated", False) else None


def _order_lock(order: Order) -> Order:
    """Lock the order's row for this transaction and refresh `order` from it (returned).

    The caller's instance is refreshed in place, so a view holding it sees the new state.
    """
    fresh = Order.objects.select_for_update().get(pk=order.pk)
    for field in Order._meta.concrete_fields:
        setattr(order, field.attname, getattr(fresh, field.attname))
    order._state.fields_cache = {}
    return order


def _order_transition(order: Order, to: str, *, by, note: str = "", **fields) -> Order:
    """Move `order` to status `to`, saving `fields` with it, and record the transition.

    Locks the order row first and checks the status read under the lock, so two requests
    racing to change the same order apply one after the other and the second one sees the
    first's result. Raises ILLEGAL_TRANSITION.
    """
    _order_lock(order)
    current = order.status
    _transition_check(order, to)
    order.status = to
    for name, value in fields.items():
        setattr(order, name, value)
    order.save(update_fields=["status", "updated_at", *fields])
    OrderTransition.objects.create(
        order=order, from_status=current, to_status=to, by=_actor(by), note=note[:300]
    )
    return order


# --- placing ----------------------------------------------------------------------------------


def _cart_lock(*, token: str) -> Cart | None:
    """Lock the cart with this token (first in the lock order); None if it is gone.

    Placing an order from a cart, and paying an order that clears it, both hold this lock:
    two submissions of the same cart (a double click, two tabs) run one after the other,
    and the second one finds, and replaces, the first's order.
    """
    if not token:
        return None
    return Cart.objects.select_for_update().filter(token=token).first()


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


def _stock_move(*, release: dict[int, int], take: dict[int, int]) -> None:
    """Put back `release` and take `take` (variant id -> units), all in one pass in variant
    primary-key order: releasing an old order's variants first and then taking the new
    order's would lock variants out of order and could deadlock with another buyer."""
    if not release:
        variant_stock_take(quantities=take)
        return
    for variant_id in sorted(release.keys() | take.keys()):
        if variant_id in release:
            variant_stock_release(quantities={variant_id: release[variant_id]})
        if variant_id in take:
            variant_stock_take(quantities={variant_id: take[variant_id]})


def _order_quantities(order: Order) -> dict[int, int]:
    """Units per variant of the order (lines whose variant was deleted since are skipped)."""
    quantities: dict[int, int] = defaultdict(int)
    for variant_id, quantity in order.lines.filter(variant__isnull=False).values_list(
        "variant_id", "quantity"
    ):
        quantities[variant_id] += quantity
    return dict(quantities)


def _stock_release_claim(order: Order) -> dict[int, int]:
    """Mark the order's stock as released and return what to put back: {} if it already was.

    A conditional UPDATE (stock_released = false), on top of the row lock the caller holds:
    whichever of cancel, expiry or a newer order gets here first releases, once.
    """
    claimed = Order.objects.filter(pk=order.pk, stock_released=False).update(stock_released=True)
    order.stock_released = True
    return _order_quantities(order) if claimed else {}


def _discount_use_return(order: Order) -> None:
    """Give back the use of its discount code that the (locked, closing) order counted.

    Once per counted use: the flag is cleared by a conditional UPDATE in the same step.
    """
    if not order.discount_counted or order.discount_id is None:
        return
    if Order.objects.filter(pk=order.pk, discount_counted=True).update(discount_counted=False):
        discount_release(discount=order.discount)
    order.discount_counted = False


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


# --- paying -----------------------------------------------------------------------------------


def _payable_check(order: Order, *, now=None) -> None:
    """Raise ORDER_NOT_PAYABLE unless `order` (locked) waits for a payment and has not expired."""
    now = now or timezone.now()
    if order.status == Status.PENDING_PAYMENT and order.expires_at and order.expires_at <= now:
        message = (
            "This order was not paid in time and its items went back on the shelf. "
            "Please check out again."
        )
    elif order.status == Status.PENDING_PAYMENT:
        return
    elif order.status == Status.CANCELLED:
        message = "This order was cancelled, so there is nothing to pay."
    else:
        message = "This order is paid already."
    raise DomainError(message, code=OrderError.ORDER_NOT_PAYABLE, field="order")


def order_pay(*, order: Order, payment_method: str) -> Payment:
    """Charge the order's total with `payment_method` (a new attempt each call).

    Attempt n is sent with the idempotency key "order:<number>:attempt:<n>". The cart and
    order rows stay locked until the gateway has answered, so a second click waits and then
    finds the order paid instead of charging again; and if anything after the charge rolls
    back, the attempt counter rolls back too and a retry re-sends the same key, which the
    gateway (and payment_start) answer without charging twice.

    A decline returns the FAILED payment (its error_message says why) and leaves the cart
    and the order as they were, ready for another attempt. Raises ORDER_NOT_PAYABLE.
    """
    with transaction.atomic():
        _cart_lock(token=order.cart_token)
        _order_lock(order)
        _payable_check(order)
        # Under the row lock: the F() update and the value read with the lock agree.
        attempt = order.payment_attempts + 1
        Order.objects.filter(pk=order.pk).update(payment_attempts=F("payment_attempts") + 1)
        order.payment_attempts = attempt
        payment = payment_services.payment_start(
            reference=order.payment_reference,
            amount=order.total,
            currency=order.currency,
            idempotency_key=f"{order.payment_reference}:attempt:{attempt}",
            payment_method=payment_method,
        )
        if payment.status == Payment.Status.SUCCEEDED:
            order_mark_paid(order=order, payment=payment)
    return payment


def order_payment_action_confirm(*, order: Order) -> Payment:
    """Finish the payment that waited for the card holder's confirmation (3-D Secure).

    Raises NO_PAYMENT_TO_CONFIRM, ORDER_NOT_PAYABLE (cancelled by someone meanwhile).
    """
    with transaction.atomic():
        _cart_lock(token=order.cart_token)
        _order_lock(order)
        payment = payment_latest_for_reference(reference=order.payment_reference)
        if payment is not None and payment.status == Payment.Status.SUCCEEDED:
            order_mark_paid(order=order, payment=payment)  # a no-op when already applied
            return payment
        if payment is None or payment.status != Payment.Status.REQUIRES_ACTION:
            raise DomainError(
                "There is no payment waiting for your confirmation.",
                code=OrderError.NO_PAYMENT_TO_CONFIRM,
                field="payment",
            )
        # An order that expired meanwhile may still be paid (order_mark_paid takes its stock
        # again); one a person cancelled may not.
        if order.status != Status.PENDING_PAYMENT and not _order_expired(order):
            _payable_check(order)
        payment = payment_services.payment_action_confirm(payment=payment)
        if payment.status == Payment.Status.SUCCEEDED:
            order_mark_paid(order=order, payment=payment)
    return payment


def _order_expired(order: Order) -> bool:
    return order.status == Status.CANCELLED and order.expired_at is not None


def _units_sold_add(order: Order) -> None:
    """Count the order's units in its products' units_sold (shop.catalog owns the counter)."""
    rows = (
        order.lines.filter(variant__isnull=False)
        .values("variant__product_id")
        .annotate(units=Sum("quantity"))
    )
    product_units_sold_add(units={row["variant__product_id"]: row["units"] for row in rows})


@transaction.atomic
def order_mark_paid(*, order: Order, payment: Payment) -> Order:
    """Record that `payment` (SUCCEEDED, for this order) paid the order.

    Idempotent: the same payment again (the synchronous path, then its webhook) changes
    nothing. On the first time: PAID, the cart the order came from is emptied, units sold
    are counted, the "paid" email and the order.paid event follow the commit.

    A payment that arrives when the order can no longer take it is given back in full:
    the order was paid already by another payment (a second attempt and a late 3-D Secure
    both succeeded) or was cancelled by a person. One that arrives after the order merely
    expired (the shopper took too long at their bank) is honoured if every unit can still
    be taken from stock, since the shopper did pay and the items are there; if some sold
    out meanwhile we cannot deliver, so the money goes back and the order stays cancelled.
    """
    cart = _cart_lock(token=order.cart_token)
    _order_lock(order)
    if payment.reference != order.payment_reference or payment.status != Payment.Status.SUCCEEDED:
        raise DomainError(
            "This payment did not pay this order.", code=OrderError.ORDER_NOT_PAYABLE, field="order"
        )
    if order.payment_id == payment.pk:
        return order
    if order.status == Status.PENDING_PAYMENT:
        return _order_paid_apply(order, payment=payment, cart=cart, note="Paid.")
    if _order_expired(order) and order.payment_id is None:
        try:
            with transaction.atomic():
                if order.stock_released:
                    variant_stock_take(quantities=_order_quantities(order))
        except DomainError:
            _payment_return(order, payment=payment, reason="Paid after it expired; sold out.")
            return order
        return _order_paid_apply(
            order,
            payment=payment,
            cart=cart,
            note="Paid after it expired; the items were still in stock.",
            stock_released=False,
            discount_counted=_discount_use_again(order),
        )
    _payment_return(order, payment=payment, reason=f"Order {order.number} was already closed.")
    return order


def _discount_use_again(order: Order) -> bool:
    """Count the revived order's use of its code again, if the code has a use left.

    The shopper paid the discounted price already, so the order is honoured either way; a
    code used up meanwhile simply does not count this order (its limit is never exceeded).
    """
    if order.discount_id is None or order.discount_counted:
        return order.discount_counted
    try:
        with transaction.atomic():
            discount_use(discount=DiscountCode(pk=order.discount_id, code=order.discount_code))
    except DomainError:
        return False
    return True


def _order_paid_apply(
    order: Order, *, payment: Payment | None, cart: Cart | None, note: str, **fields
):
    _order_transition(
        order, Status.PAID, by=None, note=note, payment=payment, paid_at=timezone.now(), **fields
    )
    if cart is not None:
        cart_clear(cart=cart)
    _units_sold_add(order)
    outbox.order_event_record(topic="order.paid", order=order)
    transaction.on_commit(partial(tasks.order_paid_notify.delay, order_id=order.pk))
    return order


def _payment_return(order: Order, *, payment: Payment, reason: str) -> None:
    """Refund the whole of a payment the order cannot take, and tell the shopper."""
    left = payment.amount - payment.amount_refunded
    if left <= 0:
        return
    logger.warning("Returning payment %s for order %s: %s", payment.pk, order.number, reason)
    payment_services.payment_refund(
        payment=payment,
        amount=left,
        idempotency_key=f"payment:{payment.pk}:return",
        reason=reason[:200],
    )
    transaction.on_commit(
        partial(tasks.order_payment_returned_notify.delay, order_id=order.pk, payment_id=payment.pk)
    )


def order_payment_succeeded(*, payment_id: int, reference: str) -> None:
    """Apply a payment that reached SUCCEEDED (receiver of payments.events.payment_succeeded,
    whichever path got there: the checkout, 3-D Secure, or a webhook first or again)."""
    if not reference.startswith(ORDER_REFERENCE_PREFIX):
        return  # not an order's payment (e.g. a gift pool contribution)
    order = Order.objects.filter(number=reference.removeprefix(ORDER_REFERENCE_PREFIX)).first()
    payment = payment_get(payment_id=payment_id)
    if order is None or payment is None or payment.status != Payment.Status.SUCCEEDED:
        logger.warning("Payment %s (%s) matches no payable order", payment_id, reference)
        return
    order_mark_paid(order=order, payment=payment)


# --- cancelling and expiring ------------------------------------------------------------------


@transaction.atomic
def order_cancel(*, order: Order, by, reason: str = "") -> Order:
    """Cancel an order that has not shipped: put its stock back, refund what was paid.

    Who may cancel which order is the caller's check (the shopper their own, staff any).
    Raises ILLEGAL_TRANSITION (e.g. "A shipped order cannot be cancelled.").
    """
    _order_lock(order)
    was_paid = order.status == Status.PAID
    _order_transition(order, Status.CANCELLED, by=by, note=reason or "Cancelled.")
    release = _stock_release_claim(order)
    if release:
        variant_stock_release(quantities=release)
    _discount_use_return(order)
    outbox.order_event_record(topic="order.cancelled", order=order)
    left = order.total - order.amount_refunded
    if was_paid and left > 0:
        _order_refund_create(order, amount=left, reason=reason or "Order cancelled.", by=by)
    return order


@transaction.atomic
def order_cancel_by_shopper(*, order: Order, by) -> Order:
    """Cancel an order its shopper has not paid for (a paid one is for staff to cancel and
    refund). The status is checked under the order's row lock, so a payment that lands at
    the same moment is never cancelled and refunded by a shopper's click.

    Raises ILLEGAL_TRANSITION (field "status").
    """
    _order_lock(order)
    if order.status != Status.PENDING_PAYMENT:
        raise DomainError(
            "Only an order waiting for payment can be cancelled here. To cancel a paid order, "
            "please contact us.",
            code=OrderError.ILLEGAL_TRANSITION,
            field="status",
        )
    return order_cancel(order=order, by=by, reason="Cancelled by the shopper.")


def order_expire_unpaid(*, now=None) -> int:
    """Cancel orders still unpaid after their payment time, putting their stock back.

    Each order in its own short transaction; rows another worker (or a payment) holds are
    skipped and picked up next run. Safe to run twice, or in two workers at once: an order is
    only expired while PENDING_PAYMENT, and its stock released once. Returns how many expired.
    """
    now = now or timezone.now()
    due = list(
        Order.objects.filter(status=Status.PENDING_PAYMENT, expires_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)[:EXPIRE_BATCH_SIZE]
    )
    expired = 0
    for order_id in due:
        with transaction.atomic():
            candidates = Order.objects.filter(
                pk=order_id, status=Status.PENDING_PAYMENT, expires_at__lte=now
            )
            if connection.features.has_select_for_update_skip_locked:
                candidates = candidates.select_for_update(skip_locked=True)
            else:
                candidates = candidates.select_for_update()
            order = candidates.first()
            if order is None:
                continue
            _order_transition(
                order,
                Status.CANCELLED,
                by=None,
                note=f"Not paid within {settings.ORDER_PAYMENT_TIMEOUT_MINUTES} minutes.",
                expired_at=now,
            )
            release = _stock_release_claim(order)
            if release:
                variant_stock_release(quantities=release)
            _discount_use_return(order)
            outbox.order_event_record(topic="order.cancelled", order=order)
            expired += 1
    return expired


# --- shipping ---------------------------------------------------------------------------------


def _merchant_access_check(*, merchant: Merchant, by) -> None:
    """Raise NOT_YOUR_ORDER unless `by` is the system, an operator or staff of `merchant`."""
    if by is None or by.is_superuser:
        return
    if not merchants_of_user(user=by).filter(pk=merchant.pk).exists():
        raise DomainError(
            "You can only handle your own merchant's lines.",
            code=OrderError.NOT_YOUR_ORDER,
            field="merchant",
        )


@transaction.atomic
def order_fulfil(
    *, order: Order, merchant: Merchant, tracking_number: str, carrier: str = "", by
) -> Fulfilment:
    """Record that `merchant` shipped its lines of `order`, with a tracking number.

    The order is FULFILLED once every merchant in it shipped, PARTIALLY_FULFILLED before.
    Raises TRACKING_NUMBER_REQUIRED, NOT_YOUR_ORDER, MERCHANT_NOT_IN_ORDER, ALREADY_SHIPPED,
    ILLEGAL_TRANSITION (an order not paid, cancelled or refunded).
    """
    tracking_number = (tracking_number or "").strip()
    carrier = (carrier or "").strip()
    if not tracking_number:
        raise DomainError(
            "Enter the parcel's tracking number.",
            code=OrderError.TRACKING_NUMBER_REQUIRED,
            field="tracking_number",
        )
    by = _actor(by)
    _merchant_access_check(merchant=merchant, by=by)
    _order_lock(order)
    merchant_ids = set(order.lines.values_list("merchant_id", flat=True))
    if merchant.pk not in merchant_ids:
        raise DomainError(
            f"Order {order.number} has no lines of {merchant.name}.",
            code=OrderError.MERCHANT_NOT_IN_ORDER,
            field="merchant",
        )
    shipped = set(order.fulfilments.values_list("merchant_id", flat=True))
    if merchant.pk in shipped:
        raise DomainError(
            f"{merchant.name}'s lines of order {order.number} are already marked shipped.",
            code=OrderError.ALREADY_SHIPPED,
            field="tracking_number",
        )
    everyone_shipped = merchant_ids <= shipped | {merchant.pk}
    target = Status.FULFILLED if everyone_shipped else Status.PARTIALLY_FULFILLED
    if target != order.status:  # the second of three merchants keeps it partly shipped
        _transition_check(order, target)
    fulfilment = Fulfilment.objects.create(
        order=order,
        merchant=merchant,
        carrier=carrier[:80],
        tracking_number=tracking_number[:100],
        shipped_by=by,
    )
    if target != order.status:  # the second of three merchants leaves it partly shipped
        shipped_note = f"{merchant.name} shipped: {carrier} {tracking_number}".replace("  ", " ")
        _order_transition(order, target, by=by, note=shipped_note)
    outbox.order_event_record(
        topic="order.shipped",
        order=order,
        merchant_id=merchant.pk,
        fulfilment_id=fulfilment.pk,
    )
    transaction.on_commit(partial(tasks.order_shipped_notify.delay, fulfilment_id=fulfilment.pk))
    return fulfilment


@transaction.atomic
def order_mark_delivered(*, order: Order, by) -> Order:
    """Record that a shipped order arrived. Raises ILLEGAL_TRANSITION."""
    _order_transition(order, Status.DELIVERED, by=by, note="Delivered.")
    outbox.order_event_record(topic="order.delivered", order=order)
    return order


# --- refunds ----------------------------------------------------------------------------------


@transaction.atomic
def order_refund(
    *, order: Order, amount: int, reason: str, by, merchant: Merchant | None = None
) -> OrderRefund:
    """Give back `amount` (minor units) of a paid order, through its payment.

    The whole remainder makes the order REFUNDED; less keeps its status and adds to
    amount_refunded. Merchant staff refund for their merchant (`merchant`, required for
    them) and at most the value of its lines not yet refunded; operators anything left.
    Stock is not touched: cancelling (before shipping) is what puts items back.
    Raises INVALID_AMOUNT, REFUND_TOO_LARGE (field "amount"), NOT_YOUR_ORDER,
    ILLEGAL_TRANSITION (not paid, cancelled, refunded) and payments' NOT_REFUNDABLE.
    """
    by = _actor(by)
    if not isinstance(amount, int) or amount <= 0:
        raise DomainError(
            "Enter an amount above zero.", code=OrderError.INVALID_AMOUNT, field="amount"
        )
    if merchant is not None:
        _merchant_access_check(merchant=merchant, by=by)
    elif by is not None and not by.is_superuser:
        raise DomainError(
            "Merchant staff refund their own merchant's lines.",
            code=OrderError.NOT_YOUR_ORDER,
            field="merchant",
        )
    _order_lock(order)
    _transition_check(order, Status.REFUNDED)
    limit = order.total - order.amount_refunded
    if merchant is not None:
        lines_value = order.lines.filter(merchant=merchant).aggregate(v=Sum("line_total"))["v"]
        refunded = order.refunds.filter(merchant=merchant).aggregate(v=Sum("amount"))["v"]
        limit = min(limit, (lines_value or 0) - (refunded or 0))
    if amount > limit:
        raise DomainError(
            f"At most {money_format(max(limit, 0), currency=order.currency)} can be refunded.",
            code=OrderError.REFUND_TOO_LARGE,
            field="amount",
        )
    return _order_refund_create(order, amount=amount, reason=reason, by=by, merchant=merchant)


def _order_refund_create(
    order: Order, *, amount: int, reason: str, by, merchant: Merchant | None = None
) -> OrderRefund:
    """Record and send a refund of `amount` on the locked, paid `order` (limits checked)."""
    refund = OrderRefund.objects.create(
        order=order, amount=amount, reason=reason[:200], by=_actor(by), merchant=merchant
    )
    # Conditional on what the lock already guarantees: a refund beyond the total matches no
    # row (and the CHECK constraint would refuse it anyway).
    added = Order.objects.filter(pk=order.pk, amount_refunded__lte=order.total - amount).update(
        amount_refunded=F("amount_refunded") + amount
    )
    if not added:
        raise DomainError(
            "That is more than is left to refund.", code=OrderError.REFUND_TOO_LARGE, field="amount"
        )
    order.amount_refunded += amount
    if order.amount_refunded >= order.total and order.status != Status.CANCELLED:
        _order_transition(order, Status.REFUNDED, by=by, note=reason or "Refunded.")
    outbox.order_event_record(
        topic="order.refunded", order=order, refund_id=refund.pk, amount=amount
    )
    # Last: the gateway call. A refusal (NOT_REFUNDABLE) rolls all of the above back.
    refund.payment_refund = payment_services.payment_refund(
        payment=order.payment,
        amount=amount,
        idempotency_key=f"{order.payment_reference}:refund:{refund.pk}",
        reason=reason[:200],
    )
    refund.save(update_fields=["payment_refund"])
    transaction.on_commit(partial(tasks.order_refunded_notify.delay, refund_id=refund.pk))
    return refund


# --- shipping methods -------------------------------------------------------------------------


def shipping_methods_default_ensure() -> list[ShippingMethod]:
    """Create the default shipping methods that are missing (by code); edited ones are kept."""
    methods = []
    for default in SHIPPING_METHODS_DEFAULT:
        fields = {name: value for name, value in default.items() if name != "code"}
        method, _ = ShippingMethod.objects.get_or_create(code=default["code"], defaults=fields)
        methods.append(method)
    return methods
