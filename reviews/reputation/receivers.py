"""What the reputation hears, connected from ReputationConfig.ready(): a merchant's shipment
forgets its cached reputation, so its fulfilment record counts the line at once (otherwise
within selectors.SECONDS). Safe to run twice: forgetting twice is forgetting."""

from reviews.reputation import services


def order_shipped_forget_reputation(sender, *, merchant_id: int, **kwargs) -> None:
    services.merchant_reputation_forget(merchant_id=merchant_id)


def connect() -> None:
    from shop.orders.events import order_shipped

    order_shipped.connect(
        order_shipped_forget_reputation,
        weak=False,
        dispatch_uid="reputation.order_shipped_forget_reputation",
    )
