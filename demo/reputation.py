"""Merchant reputation in the demo: each merchant's shipping promise and returns and shipping
policies (its page's profile), and a purchase from Northwind Outfitters by robin, the demo
shopper's friend who shares purchases with friends, shipped the day after payment: the
shopper sees "Friends who bought from this merchant" on its page, and its fulfilment record
counts one more line shipped on time.

Through the shop's services: merchant_save for the policies; a cart, order_place, order_pay
with the test card and order_fulfil by the merchant's staff for the purchase; only its
clocks are moved back afterwards (demo.history's way).

Idempotent: policies are written only for a merchant without any, and robin gets the order
only while they have no shipped line from the merchant.
"""

from collections import Counter
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from demo.history import _clocks_move
from demo.specs import merchants as merchant_specs
from shop.cart.services import cart_get_or_create, cart_item_add
from shop.catalog import services as catalog_services
from shop.catalog.models import Merchant, Variant
from shop.orders import services as order_services
from shop.orders.models import Fulfilment, OrderLine

TEST_PAYMENT_METHOD = "pm_card_visa"
FRIEND = "robin"  # shares purchases with friends (demo/data/community.toml)
MERCHANT = "northwind-outfitters"
BOUGHT_DAYS_AGO = 8

POLICIES = {
    "northwind-outfitters": (
        2,
        "Tracked parcels to the whole of Europe, free from 60 euros. Orders paid before noon "
        "leave the same day; tents and stoves ship in their own box.",
        "Send anything back unused within 30 days for a full refund: the return label is in "
        "the parcel. Worn gear is repaired, not returned.",
    ),
    "hearth-and-loom": (
        3,
        "Every piece is wrapped by hand and sent tracked within three working days. "
        "Ceramics travel in recycled padding.",
        "Returns within 14 days of delivery, in the original packaging. A piece that arrives "
        "broken is replaced at once: send us a photo.",
    ),
    "maison-verte": (
        2,
        "Shipped from Lyon with a carbon-neutral carrier; delivery in 2 to 4 working days.",
        "Free exchanges of sizes within 30 days; refunds within 14 days, unworn with tags.",
    ),
}
ADDRESS = order_services.AddressInput(
    full_name="Robin Gifford",
    line1="12 Rue des Bouchers",
    line2="",
    postal_code="1000",
    city="Brussels",
    country="BE",
    phone="",
)


def shopper_bought(*, merchant_slug: str) -> int | None:
    """The id of the product of MERCHANT_SLUG in the demo shopper's delivered order."""
    from demo.community import community_spec

    return (
        OrderLine.objects.filter(
            order__customer__username=community_spec().shopper,
            merchant__slug=merchant_slug,
            variant__isnull=False,
        )
        .order_by("pk")
        .values_list("variant__product_id", flat=True)
        .first()
    )


def _policies_ensure(created: Counter) -> None:
    for merchant in Merchant.objects.filter(slug__in=list(POLICIES), returns_policy=""):
        days, shipping, returns = POLICIES[merchant.slug]
        merchant.ships_within_days = days
        merchant.shipping_policy = shipping
        merchant.returns_policy = returns
        catalog_services.merchant_save(merchant=merchant)
        created["merchant policies"] += 1


def _purchase_ensure(created: Counter) -> None:
    friend = get_user_model().objects.filter(username=FRIEND).first()
    merchant = Merchant.objects.filter(slug=MERCHANT).first()
    if friend is None or merchant is None:
        return
    shipped = Fulfilment.objects.filter(merchant=merchant, order__customer=friend)
    if shipped.exists():
        return
    variants = Variant.objects.filter(
        product__merchant=merchant, product__is_published=True, stock__gt=2
    ).order_by("product_id", "position", "pk")
    product_id = shopper_bought(merchant_slug=MERCHANT)
    variant = variants.filter(product_id=product_id).first() or variants.first()
    staff_username = next(s.staff.username for s in merchant_specs() if s.slug == MERCHANT)
    staff = get_user_model().objects.filter(username=staff_username).first()
    if variant is None or staff is None:
        return
    cart = cart_get_or_create(user=None, token=None)  # a cart of its own
    cart_item_add(cart=cart, variant_id=variant.pk, quantity=1)
    method = order_services.shipping_methods_default_ensure()[0]
    order = order_services.order_place(
        cart=cart,
        customer=friend,
        email=friend.email,
        address=ADDRESS,
        shipping_method_id=method.pk,
    )
    order_services.order_pay(order=order, payment_method=TEST_PAYMENT_METHOD)
    order_services.order_fulfil(
        order=order, merchant=merchant, carrier="bpost", tracking_number="DEMO-RBN-1", by=staff
    )
    order.refresh_from_db()
    _clocks_move(order=order, placed=timezone.now() - timedelta(days=BOUGHT_DAYS_AGO))
    created["friends' purchases from a merchant"] += 1


def reputation_build(*, created: Counter) -> None:
    """Write whatever of the merchants' profiles and robin's purchase is missing."""
    _policies_ensure(created)
    _purchase_ensure(created)
