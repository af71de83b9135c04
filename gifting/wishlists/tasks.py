from celery import shared_task

from gifting.wishlists import alert_services, services


@shared_task
def claims_purchase(*, order_id: int) -> int:
    """Mark the buyer's claims of a paid order's variants purchased (may run twice)."""
    return services.claims_purchase_for_order(order_id=order_id)


@shared_task
def claims_expire() -> int:
    """Release claims left unpaid for WISHLIST_CLAIM_DAYS (beat; a second run finds none)."""
    return services.claims_expire()


@shared_task
def wishlist_ask_notify(*, wishlist_id: int) -> int:
    """Tell the friends of an asked list's owner (enqueued through the outbox; may run twice)."""
    from gifting.wishlists import ask_services

    return ask_services.wishlist_ask_notify(wishlist_id=wishlist_id)


@shared_task
def price_drop_notify(*, variant_id: int, old_price: int, new_price: int, event: str) -> int:
    """Tell the owners of wishes of a variant that it got cheaper (may run twice)."""
    return alert_services.wishlist_price_drop_notify(
        variant_id=variant_id, old_price=old_price, new_price=new_price, event=event
    )


@shared_task
def back_in_stock_notify(*, variant_id: int, event: str) -> int:
    """Tell the owners of wishes of a variant that it is in stock again (may run twice)."""
    return alert_services.wishlist_back_in_stock_notify(variant_id=variant_id, event=event)
