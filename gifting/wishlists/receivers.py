"""Events wishlists hear, each kept in the outbox (written in the transaction that hears it,
so a lost broker delays what follows, never drops it):
- an order paid: its buyer's claims are marked purchased; an order cancelled or refunded in
  full: the claims it bought go back to their lists (one idempotent UPDATE, done on hearing:
  the shop's order events come from its outbox, at least once);
- a variant's price dropped, or its stock came back: the owners of its wishes are told
  (alert_services). Only a variant on some list costs an outbox row; the stamp in the payload
  names the event, so its task told twice tells each owner once.
"""

import uuid

ORDER_PAID_TOPIC = "wishlists.order_paid"
PRICE_DROPPED_TOPIC = "wishlists.variant_price_dropped"
BACK_IN_STOCK_TOPIC = "wishlists.variant_back_in_stock"


def order_paid(sender, *, order_id: int, **kwargs) -> None:
    from shop.core.outbox import outbox_record

    outbox_record(topic=ORDER_PAID_TOPIC, payload={"order_id": order_id})


def order_cancelled(sender, *, order_id: int, **kwargs) -> None:
    from gifting.wishlists.services import claims_purchase_undo_for_order

    claims_purchase_undo_for_order(order_id=order_id)


def order_refunded(sender, *, order_id: int, **kwargs) -> None:
    """Only an order refunded in full gives its wishes back (a partial refund keeps the gift)."""
    from gifting.wishlists.services import claims_purchase_undo_for_order
    from shop.orders.selectors import order_for_email

    order = order_for_email(order_id=order_id)
    if order is not None and order.status in (order.Status.REFUNDED, order.Status.CANCELLED):
        claims_purchase_undo_for_order(order_id=order_id)


def _stamp() -> str:
    return uuid.uuid4().hex


def variant_price_dropped(
    sender, *, variant_id: int, old_price: int, new_price: int, **kwargs
) -> None:
    from gifting.wishlists.selectors import wishlist_items_of_variant_exist
    from shop.core.outbox import outbox_record

    if wishlist_items_of_variant_exist(variant_id=variant_id):
        outbox_record(
            topic=PRICE_DROPPED_TOPIC,
            payload={
                "variant_id": variant_id,
                "old_price": old_price,
                "new_price": new_price,
                "event": _stamp(),
            },
        )


def variant_back_in_stock(sender, *, variant_id: int, **kwargs) -> None:
    from gifting.wishlists.selectors import wishlist_items_of_variant_exist
    from shop.core.outbox import outbox_record

    if wishlist_items_of_variant_exist(variant_id=variant_id):
        outbox_record(
            topic=BACK_IN_STOCK_TOPIC, payload={"variant_id": variant_id, "event": _stamp()}
        )
