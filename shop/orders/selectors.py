"""Every read of orders used by pages, the API, admin, emails and other apps.

Each selector loads what its callers touch (lines with their merchant, fulfilments,
transitions with who made them, refunds) in a fixed number of queries.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from shop.accounts import selectors as accounts_selectors
from shop.accounts.models import Address
from shop.catalog.models import Merchant
from shop.catalog.selectors import merchants_of_user
from shop.orders.models import (
    Fulfilment,
    Order,
    OrderLine,
    OrderRefund,
    OrderTransition,
    ShippingMethod,
)

_GUEST_TOKEN_SALT = "shop.orders.guest-link"


# --- shipping methods and addresses -----------------------------------------------------------


def shipping_method_list() -> QuerySet[ShippingMethod]:
    """The shipping methods a shopper may choose, cheapest position first."""
    return ShippingMethod.objects.filter(is_active=True)


def shipping_method_get(*, shipping_method_id: int) -> ShippingMethod | None:
    return shipping_method_list().filter(pk=shipping_method_id).first()


def address_list_for_user(*, user) -> QuerySet[Address]:
    return accounts_selectors.address_list_for_user(user=user)


# --- one order ---------------------------------------------------------------------------------


def _order_detail_prefetches() -> list:
    return [
        Prefetch("lines", queryset=OrderLine.objects.select_related("merchant")),
        Prefetch("fulfilments", queryset=Fulfilment.objects.select_related("merchant")),
        Prefetch("transitions", queryset=OrderTransition.objects.select_related("by")),
        Prefetch("refunds", queryset=OrderRefund.objects.all()),
    ]


def order_queryset() -> QuerySet[Order]:
    """Orders with everything an order page shows loaded (5 queries however many lines)."""
    return Order.objects.select_related("shipping_method").prefetch_related(
        *_order_detail_prefetches()
    )


@dataclass(frozen=True)
class OrderDetail:
    order: Order
    lines: list[OrderLine]
    fulfilments: list[Fulfilment]
    transitions: list[OrderTransition]
    refunds: list[OrderRefund]


def order_detail(*, order: Order) -> OrderDetail:
    """The order's lines (with merchant), shipments, history and refunds, loaded once.

    Uses what `order` already has prefetched (from order_queryset), else 4 queries.
    """
    cache = getattr(order, "_prefetched_objects_cache", {})
    if not {"lines", "fulfilments", "transitions", "refunds"} <= cache.keys():
        prefetch_related_objects([order], *_order_detail_prefetches())
    return OrderDetail(
        order=order,
        lines=list(order.lines.all()),
        fulfilments=list(order.fulfilments.all()),
        transitions=list(order.transitions.all()),
        refunds=list(order.refunds.all()),
    )


def order_get_for_user(*, number: str, user) -> Order:
    """The signed-in user's order `number`; 404 if there is none or it is someone else's."""
    if user is None or not user.is_authenticated:
        raise Http404("No such order.")
    order = order_queryset().filter(number=number, customer=user).first()
    if order is None:
        raise Http404("No such order.")
    return order


def order_list_for_user(*, user) -> QuerySet[Order]:
    """The user's orders, newest first, with lines and shipments loaded."""
    if user is None or not user.is_authenticated:
        return Order.objects.none()
    return Order.objects.filter(customer=user).prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related("merchant")),
        "fulfilments",
    )


def order_is_payable(*, order: Order, now=None) -> bool:
    """Whether the order still waits for a payment that may be made now."""
    now = now or timezone.now()
    return order.status == Order.Status.PENDING_PAYMENT and not (
        order.expires_at and order.expires_at <= now
    )


# --- guest links -------------------------------------------------------------------------------


def order_guest_token(*, order: Order) -> str:
    """The token of the order's guest link: an HMAC of its number (salted, SECRET_KEY)."""
    return signing.Signer(salt=_GUEST_TOKEN_SALT).signature(order.number)


def order_guest_url(*, order: Order) -> str:
    """The absolute guest link to the order, as sent in its emails."""
    base = settings.SITE_URL.rstrip("/")
    return f"{base}/orders/{order.number}/?token={order_guest_token(order=order)}"


def order_get_by_guest_token(*, number: str, token: str) -> Order:
    """The order `number` if `token` is its guest token; 404 otherwise (and for no order)."""
    expected = signing.Signer(salt=_GUEST_TOKEN_SALT).signature(number)
    if not token or not constant_time_compare(expected, token):
        raise Http404("No such order.")
    order = order_queryset().filter(number=number).first()
    if order is None:
        raise Http404("No such order.")
    return order


def order_for_email(*, order_id: int) -> Order | None:
    return (
        Order.objects.filter(pk=order_id)
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.select_related("merchant")))
        .first()
    )


# --- merchant staff ---------------------------------------------------------------------------


def order_list_for_staff(*, user) -> QuerySet[Order]:
    """Orders `user` may see in admin: all for operators, else those holding a line of a
    merchant they manage (an EXISTS, so an order is listed once however many lines)."""
    orders = Order.objects.all()
    if user.is_superuser:
        return orders
    return orders.filter(
        Exists(
            OrderLine.objects.filter(
                order=OuterRef("pk"), merchant__in=merchants_of_user(user=user)
            )
        )
    )


def order_merchants_for_staff(*, order: Order, user) -> list[Merchant]:
    """The merchants in `order` that `user` may act for (all of them for an operator)."""
    merchants = Merchant.objects.filter(
        Exists(OrderLine.objects.filter(order=order, merchant=OuterRef("pk")))
    )
    if not user.is_superuser:
        merchants = merchants.filter(pk__in=merchants_of_user(user=user))
    return list(merchants.order_by("name", "pk"))
