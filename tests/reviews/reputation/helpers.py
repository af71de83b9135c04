"""What the reputation tests share: a merchant with products, and orders shipped in time or
late."""

from datetime import timedelta

from django.utils import timezone

from shop.orders.models import Fulfilment, Order
from tests.factories import MerchantFactory, ProductFactory, UserFactory, purchases_make


def merchant_make(**fields):
    fields = {
        "name": "Lumen Studio",
        "slug": "lumen",
        "description": "Lamps made in Ghent.",
        "returns_policy": "Send it back within 30 days.",
        "shipping_policy": "Tracked parcels across Europe.",
        "ships_within_days": 2,
        **fields,
    }
    merchant = MerchantFactory(**fields)
    ProductFactory(merchant=merchant, title="Brass Lamp", slug=f"{merchant.slug}-brass-lamp")
    return merchant


def order_shipped(merchant, *, after_days: float | None, paid_days_ago: float = 10, buyer=None):
    """A purchase from MERCHANT paid PAID_DAYS_AGO, shipped AFTER_DAYS later (None: not yet)."""
    product = merchant.products.first()
    buyer = buyer or UserFactory(verified=False)
    status = "paid" if after_days is None else "fulfilled"
    order = purchases_make(buyer, [product], status=status)
    paid_at = timezone.now() - timedelta(days=paid_days_ago)
    Order.objects.filter(pk=order.pk).update(paid_at=paid_at)
    if after_days is not None:
        fulfilment = Fulfilment.objects.create(order=order, merchant=merchant, tracking_number="T")
        Fulfilment.objects.filter(pk=fulfilment.pk).update(
            shipped_at=paid_at + timedelta(days=after_days)
        )
    return order
