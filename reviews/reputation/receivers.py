"""What the reputation hears, connected from ReputationConfig.ready(): a merchant's shipment,
or a change of one of its products' ratings, forgets its cached reputation, so its
fulfilment record and rating count it at once (otherwise within selectors.SECONDS). Safe to
run twice: forgetting twice is forgetting."""

from reviews.reputation import services


def order_shipped_forget_reputation(sender, *, merchant_id: int, **kwargs) -> None:
    services.merchant_reputation_forget(merchant_id=merchant_id)


def rating_changed_forget_reputation(sender, *, merchant_id: int, **kwargs) -> None:
    """A review of one of the merchant's products counted, changed or went: its rating too."""
    services.merchant_reputation_forget(merchant_id=merchant_id)


def connect() -> None:
    from shop.catalog.events import product_rating_changed
    from shop.orders.events import order_shipped

    order_shipped.connect(
        order_shipped_forget_reputation,
        weak=False,
        dispatch_uid="reputation.order_shipped_forget_reputation",
    )
    product_rating_changed.connect(
        rating_changed_forget_reputation,
        weak=False,
        dispatch_uid="reputation.rating_changed_forget_reputation",
    )
