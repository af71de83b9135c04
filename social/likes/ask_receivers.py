"""What "ask my friends" hears, connected from LikesConfig.ready(): an order paid closes the
buyer's open questions about what they bought; a block ends what the two shared in asks.
Receivers take ids and are safe to run twice (order_paid may be delivered twice)."""

from social.likes import ask_services as services


def order_paid_close_asks(sender, *, order_id: int, **kwargs) -> None:
    """The buyer's open asks about the products of ORDER_ID close (reason: bought)."""
    from shop.orders.selectors import order_for_email

    order = order_for_email(order_id=order_id)
    if order is None or order.customer_id is None:
        return
    variant_ids = [line.variant_id for line in order.lines.all() if line.variant_id]
    services.asks_close_bought(buyer_id=order.customer_id, variant_ids=variant_ids)


def person_blocked_forget_asks(sender, *, blocker_id: int, blocked_id: int, **kwargs) -> None:
    services.asks_between_forget(first_id=blocker_id, second_id=blocked_id)


def connect() -> None:
    from shop.orders.events import order_paid
    from social.graph.events import person_blocked

    order_paid.connect(
        order_paid_close_asks, weak=False, dispatch_uid="likes.order_paid_close_asks"
    )
    person_blocked.connect(
        person_blocked_forget_asks, weak=False, dispatch_uid="likes.person_blocked_forget_asks"
    )
