"""A demo account's history: a saved shipping address and a past order that was delivered.

Everything goes through the shop's own services, as a shopper and the merchants would have
done it: the address book (accounts.address_add), a cart, checkout (orders.order_place: stock
taken), payment with the gateway's test card (orders.order_pay: paid, units sold counted),
each merchant shipping its line with a tracking number (orders.order_fulfil) and the delivery
(orders.order_mark_delivered). Only the clocks are moved afterwards, so that the order was
placed some days ago rather than while `manage.py demo_data` ran.

Idempotent: the address is found by its lines (address_add keeps one copy), and an account
that has a delivered order already gets no other.
"""

from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model

from demo import specs
from demo.plan import ProductPlan
from demo.specs import DemoAccount, DemoAddress, DemoDeliveredOrder, MerchantSpec
from shop.accounts.selectors import address_list_for_user
from shop.accounts.services import address_add
from shop.cart.services import cart_get_or_create, cart_item_add
from shop.catalog.models import Variant
from shop.orders import selectors as order_selectors
from shop.orders import services as order_services
from shop.orders.models import Fulfilment, Order, OrderTransition

# The fake gateway's (and Stripe test mode's) card that always succeeds.
TEST_PAYMENT_METHOD = "pm_card_visa"
SHIPPING_METHOD_CODE = "standard"
# From placing the order: paid, shipped by each merchant, delivered.
PAID_AFTER = timedelta(minutes=3)
SHIPPED_AFTER = timedelta(days=1)
DELIVERED_AFTER = timedelta(days=4)


def demo_history_ensure(
    *,
    account: DemoAccount,
    plans: list[ProductPlan],
    merchants: tuple[MerchantSpec, ...],
    created: Counter,
    now: datetime,
) -> None:
    """Give `account` (already in the database) its saved address and delivered order, if
    the demo spec has them and the account has not got them yet."""
    user = get_user_model().objects.get(username__iexact=account.username)
    if account.address is not None:
        before = address_list_for_user(user=user).count()
        _address_ensure(user=user, address=account.address)
        created["saved addresses"] += address_list_for_user(user=user).count() - before
    if (
        account.delivered_order is not None
        and account.address is not None
        and not _has_delivered_order(user=user)
    ):
        order = _delivered_order_make(
            user=user,
            address=account.address,
            spec=account.delivered_order,
            plans=plans,
            merchants=merchants,
            now=now,
        )
        created["delivered orders"] += order is not None


def delivered_order_ensure(
    *, user, account: DemoAccount, plans: list[ProductPlan], created: Counter, now: datetime
) -> Order | None:
    """Give USER (not a demo account of its own: the reviews' friends who bought) a delivered
    order like ACCOUNT's, shipped to ACCOUNT's address under USER's name, unless they have
    one; return their delivered order."""
    orders = Order.objects.filter(customer=user, status=Order.Status.DELIVERED)
    found = orders.order_by("pk").first()
    if found is not None or account.address is None or account.delivered_order is None:
        return found
    order = _delivered_order_make(
        user=user,
        address=replace(account.address, full_name=user.public_name),
        spec=account.delivered_order,
        plans=plans,
        merchants=specs.merchants(),
        now=now,
    )
    created["delivered orders"] += order is not None
    return order


def _has_delivered_order(*, user) -> bool:
    orders = order_selectors.order_list_for_user(user=user)
    return orders.filter(status=Order.Status.DELIVERED).exists()


def _address_ensure(*, user, address: DemoAddress) -> None:
    address_add(
        user=user,
        full_name=address.full_name,
        line1=address.line1,
        line2=address.line2,
        postal_code=address.postal_code,
        city=address.city,
        country=address.country,
        phone=address.phone,
    )


def _variants_to_buy(
    *, spec: DemoDeliveredOrder, plans: list[ProductPlan], merchants: tuple[MerchantSpec, ...]
) -> list[Variant]:
    """One variant from each of the first `spec.merchants` merchants: the first of their
    published products in the plan with a variant in stock now (none if the shop is too small).
    """
    wanted = [merchant.slug for merchant in merchants[: spec.merchants]]
    candidates = [
        variant.sku
        for plan in plans
        if plan.is_published and plan.merchant_slug in wanted
        for variant in plan.variants
    ]
    in_stock = {
        variant.sku: variant
        for variant in Variant.objects.select_related("product__merchant").filter(
            sku__in=candidates, stock__gt=0, product__is_published=True
        )
    }
    chosen: dict[str, Variant] = {}
    for sku in candidates:
        variant = in_stock.get(sku)
        if variant is not None:
            chosen.setdefault(variant.product.merchant.slug, variant)
    return [chosen[slug] for slug in wanted if slug in chosen]


def _delivered_order_make(
    *,
    user,
    address: DemoAddress,
    spec: DemoDeliveredOrder,
    plans: list[ProductPlan],
    merchants: tuple[MerchantSpec, ...],
    now: datetime,
) -> Order | None:
    variants = _variants_to_buy(spec=spec, plans=plans, merchants=merchants)
    if not variants:
        return None
    # A cart of its own (not the account's, which may hold what the person put there).
    cart = cart_get_or_create(user=None, token=None)
    for variant in variants:
        cart_item_add(cart=cart, variant_id=variant.pk, quantity=1)
    method = next(
        m
        for m in order_services.shipping_methods_default_ensure()
        if m.code == SHIPPING_METHOD_CODE
    )
    order = order_services.order_place(
        cart=cart,
        customer=user,
        email=user.email,
        address=order_services.AddressInput(
            full_name=address.full_name,
            line1=address.line1,
            line2=address.line2,
            postal_code=address.postal_code,
            city=address.city,
            country=address.country,
            phone=address.phone,
        ),
        shipping_method_id=method.pk,
    )
    payment = order_services.order_pay(order=order, payment_method=TEST_PAYMENT_METHOD)
    if payment.status != payment.Status.SUCCEEDED:
        raise RuntimeError(f"The demo order's test payment did not succeed: {payment.status}.")
    staff = _merchant_staff(merchants=merchants)
    for index, variant in enumerate(variants):
        merchant = variant.product.merchant
        order_services.order_fulfil(
            order=order,
            merchant=merchant,
            carrier=spec.carrier,
            tracking_number=f"DEMO{order.number[-6:]}{index + 1}",
            by=staff[merchant.slug],
        )
    order = order_services.order_mark_delivered(order=order, by=None)  # the carrier's scan
    _clocks_move(order=order, placed=now - timedelta(days=spec.days_ago))
    return order


def _merchant_staff(*, merchants: tuple[MerchantSpec, ...]) -> dict[str, object]:
    users = get_user_model().objects.in_bulk(
        [merchant.staff.username for merchant in merchants], field_name="username"
    )
    return {merchant.slug: users[merchant.staff.username] for merchant in merchants}


def _clocks_move(*, order: Order, placed: datetime) -> None:
    """Date the order's steps as if it had been placed at `placed`.

    The timestamps are auto_now_add and no service backdates: only the times change here,
    never a status (as with the demo products' created_at in demo.build).
    """
    at_status = {
        "": placed,
        Order.Status.PENDING_PAYMENT: placed,
        Order.Status.PAID: placed + PAID_AFTER,
        Order.Status.PARTIALLY_FULFILLED: placed + SHIPPED_AFTER,
        Order.Status.FULFILLED: placed + SHIPPED_AFTER + timedelta(hours=2),
        Order.Status.DELIVERED: placed + DELIVERED_AFTER,
    }
    Order.objects.filter(pk=order.pk).update(
        created_at=placed,
        paid_at=at_status[Order.Status.PAID],
        expires_at=placed + (order.expires_at - order.created_at) if order.expires_at else None,
        updated_at=at_status[Order.Status.DELIVERED],
    )
    for transition in OrderTransition.objects.filter(order=order):
        transition.created_at = at_status[transition.to_status]
        transition.save(update_fields=["created_at"])
    for index, fulfilment in enumerate(Fulfilment.objects.filter(order=order).order_by("pk")):
        fulfilment.shipped_at = placed + SHIPPED_AFTER + timedelta(hours=2 * index)
        fulfilment.save(update_fields=["shipped_at"])
