"""Every write to orders: placing, paying, shipping, delivering, cancelling, refunding, expiring.

One module per section; this package re-exports the public services, so callers write
`from shop.orders import services` and `services.order_place(...)`.

An order changes status only through transitions._order_transition, which checks the table of
legal transitions, locks the row and records who moved it from what to what.

Lock order (every service here takes its locks in this order, so two of them never wait on
each other in a circle): the cart (by the order's cart token) → orders (primary-key order) →
variants (primary-key order, catalog.variant_stock_take/release) → the discount code
(cart.discount_use) → products (units sold).

Money that leaves or enters through the payment gateway is handled last in a transaction,
so nothing that can still fail after the gateway call rolls back our record of it.
"""

from shop.orders.addresses import AddressInput
from shop.orders.services.cancelling import (
    EXPIRE_BATCH_SIZE,
    order_cancel,
    order_cancel_by_shopper,
    order_expire_unpaid,
)
from shop.orders.services.fulfilment import order_fulfil, order_mark_delivered
from shop.orders.services.paying import (
    ORDER_REFERENCE_PREFIX,
    order_mark_paid,
    order_mark_paid_by_funds,
    order_pay,
    order_payment_action_confirm,
    order_payment_intent_open,
    order_payment_refresh,
    order_payment_succeeded,
    order_payments_reconcile,
)
from shop.orders.services.placing import order_place
from shop.orders.services.refunds import order_refund
from shop.orders.services.shipping_methods import (
    SHIPPING_METHODS_DEFAULT,
    shipping_methods_default_ensure,
)

__all__ = [
    "EXPIRE_BATCH_SIZE",
    "ORDER_REFERENCE_PREFIX",
    "SHIPPING_METHODS_DEFAULT",
    "AddressInput",
    "order_cancel",
    "order_cancel_by_shopper",
    "order_expire_unpaid",
    "order_fulfil",
    "order_mark_delivered",
    "order_mark_paid",
    "order_mark_paid_by_funds",
    "order_pay",
    "order_payment_action_confirm",
    "order_payment_intent_open",
    "order_payment_refresh",
    "order_payment_succeeded",
    "order_payments_reconcile",
    "order_place",
    "order_refund",
    "shipping_methods_default_ensure",
]
