"""Celery tasks of "products for you": thin, idempotent, each calling one service."""

from celery import shared_task

from social.recommendations import products_services


@shared_task
def copurchase_order_count(*, order_id: int) -> bool:
    """Count a paid order into "often bought together" (enqueued through the outbox: it may
    run twice, and counts once)."""
    return products_services.copurchase_order_count(order_id=order_id)


@shared_task
def picks_refresh_stale() -> int:
    """Recompute the picks of people whose signals changed (beat, every minute, and soon
    after a change)."""
    return products_services.picks_refresh_stale()


@shared_task
def picks_compute(*, user_id: int) -> int:
    return products_services.picks_compute(user_id=user_id)


@shared_task
def browse_flush(*, user_id: int) -> int:
    """Write a person's cached product page views to their browsing interest."""
    return products_services.browse_flush(user_id=user_id)
