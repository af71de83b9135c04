from celery import shared_task

from gifting.wishlists import services


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
