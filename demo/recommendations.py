"""Recommendations in the demo: a few paid orders of the shopper's friends that pair products
(so product pages show "Often bought together"), the shopper's browsing of one category (so
their home has "Picks in …"), a like of one product that is often bought with another (so
"Because you liked …"), and, once the build commits, every demo person's picks computed
(so the shopper's first home page is built for them: "From your friends", "Because you
liked …", "New from merchants you follow", "Picks in …", each saying why).

Everything goes through the services the site uses: the cart and checkout (order_place,
order_pay with the test card: the order-paid event counts the pairs through the outbox), the
browsing counter (browse_record, browse_flush) and the precompute (picks_compute).

Idempotent: a friend who already has a paid order gets no other; browsing is counted only for
a shopper without any; picks are recomputed (the same data gives the same picks).
"""

from collections import Counter

from django.contrib.auth import get_user_model
from django.db import transaction

from demo.community import community_spec
from shop.cart.services import cart_get_or_create, cart_item_add
from shop.catalog.models import Product, Variant
from shop.orders import services as order_services
from shop.orders.models import Order
from social.graph.selectors import friends_of
from social.likes.services import like_create
from social.recommendations import products_services
from social.recommendations.models import BrowseInterest

TEST_PAYMENT_METHOD = "pm_card_visa"
PAIRS = 4  # pairs of products, each bought together by a few friends
BROWSED_PAGES = 6
ADDRESS = order_services.AddressInput(
    full_name="Demo Friend",
    line1="1 Market Street",
    line2="",
    postal_code="1000",
    city="Brussels",
    country="BE",
    phone="",
)


def _pairs() -> list[tuple[Variant, Variant]]:
    """PAIRS pairs among the newest products in stock (those the home page shows), each
    product's cheapest variant in stock."""
    products = list(
        Product.objects.filter(is_published=True, variants__stock__gt=5)
        .distinct()
        .order_by("-created_at", "-pk")[: PAIRS * 2]
    )
    cheapest: dict[int, Variant] = {}
    for variant in Variant.objects.filter(
        product__in=products, stock__gt=5, product__is_published=True
    ).order_by("product_id", "price", "pk"):
        cheapest.setdefault(variant.product_id, variant)
    pairs = []
    for first, second in zip(products[::2], products[1::2], strict=False):
        if first.pk in cheapest and second.pk in cheapest:
            pairs.append((cheapest[first.pk], cheapest[second.pk]))
    return pairs


def _order_paid_make(*, user, variants: tuple[Variant, Variant]) -> None:
    cart = cart_get_or_create(user=None, token=None)  # a cart of its own
    for variant in variants:
        cart_item_add(cart=cart, variant_id=variant.pk, quantity=1)
    method = order_services.shipping_methods_default_ensure()[0]
    order = order_services.order_place(
        cart=cart, customer=user, email=user.email, address=ADDRESS, shipping_method_id=method.pk
    )
    order_services.order_pay(order=order, payment_method=TEST_PAYMENT_METHOD)


def _browsing_ensure(*, shopper, created: Counter) -> None:
    if BrowseInterest.objects.filter(user=shopper).exists():
        return
    # The shopper's bio: "Always hunting for a good mug": the category of the mugs.
    product = (
        Product.objects.filter(is_published=True, title__icontains="mug").order_by("pk").first()
        or Product.objects.filter(is_published=True).order_by("pk").first()
    )
    if product is None:
        return
    for _ in range(BROWSED_PAGES):
        products_services.browse_record(
            user_id=shopper.pk, category_id=product.category_id, brand=product.brand
        )
    created["browsing counts"] += products_services.browse_flush(user_id=shopper.pk)


def recommendations_build(*, created: Counter) -> None:
    """Make whatever of the demo's co-purchases and browsing is missing, and compute every
    demo person's picks once the build commits."""
    shopper = get_user_model().objects.filter(username=community_spec().shopper).first()
    if shopper is None:
        return
    friends = list(friends_of(user=shopper).filter(is_active=True).order_by("username"))
    with_orders = set(
        Order.objects.filter(customer__in=friends, paid_at__isnull=False).values_list(
            "customer_id", flat=True
        )
    )
    pairs = _pairs()
    for index, friend in enumerate(friends):
        if pairs and friend.pk not in with_orders:
            _order_paid_make(user=friend, variants=pairs[index % len(pairs)])
            created["friends' paid orders"] += 1
    # The shopper likes one product of the first pair: "Because you liked …" on their home.
    if pairs and like_create(user=shopper, product=pairs[0][0].product).changed:
        created["shopper's likes"] += 1
    _browsing_ensure(shopper=shopper, created=created)
    transaction.on_commit(recommendations_settle)


def recommendations_settle() -> None:
    """Compute the picks of every demo person (after the build's events were delivered)."""
    for user_id in get_user_model().objects.filter(is_active=True).values_list("pk", flat=True):
        products_services.picks_compute(user_id=user_id)
