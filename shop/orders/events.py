"""Domain events of orders, for the social side (purchases in friends' feeds, notifications).

Each is sent with order_id (int), number (str) and event_id (the outbox row's id, the same
on a redelivery: receivers use it to do their work once). They are delivered from the
outbox (shop.orders.outbox) after the transaction that wrote the row commits, and again by
beat if that delivery did not happen, so a receiver may see an event twice, never zero times.
"""

from django.dispatch import Signal

order_placed = Signal()
order_paid = Signal()
order_shipped = Signal()  # also merchant_id and fulfilment_id
order_delivered = Signal()
order_cancelled = Signal()
order_refunded = Signal()  # also refund_id and amount

# The outbox topic of each event.
ORDER_EVENTS: dict[str, Signal] = {
    "order.placed": order_placed,
    "order.paid": order_paid,
    "order.shipped": order_shipped,
    "order.delivered": order_delivered,
    "order.cancelled": order_cancelled,
    "order.refunded": order_refunded,
}
