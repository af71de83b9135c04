"""Events wishlists hear: an order paid (through the outbox, written in the delivery's
transaction, so a lost broker delays the claim's purchase, never drops it)."""

ORDER_PAID_TOPIC = "wishlists.order_paid"


def order_paid(sender, *, order_id: int, **kwargs) -> None:
    from shop.core.outbox import outbox_record

    outbox_record(topic=ORDER_PAID_TOPIC, payload={"order_id": order_id})
