"""Order status transitions, the locks, and the stock and discount steps every order
service shares.

An order changes status only through _order_transition: it checks the table of legal
transitions, locks the row and records who moved it from what to what.
"""

from collections import defaultdict

from shop.cart.models import Cart
from shop.cart.services import cart_lock, discount_release
from shop.catalog.models import Merchant
from shop.catalog.selectors import merchants_of_user
from shop.catalog.services import (
    variant_stock_release,
    variant_stock_take,
)
from shop.core.errors import DomainError
from shop.orders.errors import OrderError
from shop.orders.models import (
    Order,
    OrderTransition,
)

Status = Order.Status


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


def _cart_lock(*, token: str) -> Cart | None:
    """Lock the cart with this token (first in the lock order); None if it is gone.

    Placing an order from a cart, and paying an order that clears it, both hold this lock:
    two submissions of the same cart (a double click, two tabs) run one after the other,
    and the second one finds, and replaces, the first's order.
    """
    return cart_lock(token=token)


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
