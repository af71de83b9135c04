"""Celery tasks of the cart: thin, call services, safe to run twice."""

from celery import shared_task

from shop.cart import services


@shared_task
def carts_abandoned_delete() -> int:
    """Beat, hourly: delete abandoned carts (see services.cart_abandoned_delete)."""
    return services.cart_abandoned_delete()
