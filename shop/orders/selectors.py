"""Every read of orders used by pages, the API, admin, emails and other apps.

Each selector loads what its callers touch (lines with their merchant, fulfilments,
transitions with who made them, refunds) in a fixed number of queries.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone

from shop.accounts import selectors as accounts_selectors
from shop.accounts.models import Address
from shop.cart.models import DiscountCode
from shop.cart.selectors import discount_amount
from shop.catalog.models import Merchant
from shop.catalog.selectors import merchants_of_user
from shop.core.errors import DomainError
from shop.core.tokens import link_token, owner_or_link_get
from shop.orders.errors import OrderError
from shop.orders.models import (
    Fulfilment,
    Order,
    OrderLine,
    OrderRefund,
    OrderTransition,
    ShippingMethod,
)
from shop.orders.vat import vat_included, vat_rate_label

_GUEST_TOKEN_SALT = "shop.orders.guest-link"
# Order numbers are AG- and ten letters or digits (models.order_number_new).
ORDER_NUMBER_PATTERN = r"[A-Za-z0-9-]{1,20}"
ORDER_NUMBER_RE = re.compile(ORDER_NUMBER_PATTERN)


# --- shipping methods and addresses -----------------------------------------------------------


def shipping_method_list() -> QuerySet[ShippingMethod]:
    """The shipping methods a shopper may choose, cheapest position first."""
    return ShippingMethod.objects.filter(is_active=True)


def shipping_method_get(*, shipping_method_id: int) -> ShippingMethod | None:
    return shipping_method_list().filter(pk=shipping_method_id).first()


def address_list_for_user(*, user) -> QuerySet[Address]:
    return accounts_selectors.address_list_for_user(user=user)


# --- pricing a checkout -----------------------------------------------------------------------


@dataclass(frozen=True)
class CheckoutTotals:
    """What an order placed from a cart costs, in minor units: the one totals formula.

    Prices include VAT: `vat_total` is the part of `total` that is VAT at `vat_rate` (basis
    points), worked out by shop.orders.vat.vat_included.
    """

    subtotal: int
    discount_total: int
    shipping_total: int
    vat_rate: int

    @property
    def total(self) -> int:
        return self.subtotal - self.discount_total + self.shipping_total

    @property
    def vat_total(self) -> int:
        return vat_included(amount=self.total, rate=self.vat_rate)

    @property
    def vat_rate_label(self) -> str:
        return vat_rate_label(self.vat_rate)


def vat_rate_current() -> int:
    """The store's VAT rate now, in basis points (settings.STORE_VAT_RATE_BASIS_POINTS)."""
    return settings.STORE_VAT_RATE_BASIS_POINTS


def checkout_totals(
    *, subtotal: int, discount: DiscountCode | None, shipping_method: ShippingMethod
) -> CheckoutTotals:
    """Price a cart's `subtotal` with `discount` (None: no code, or one that does not apply)
    shipped by `shipping_method`, VAT included at the store's rate now: what the review page
    shows (from the cart's summary) and what services.order_place charges and records (from
    the locked cart and the code it counted)."""
    discount_total = discount_amount(discount=discount, subtotal=subtotal) if discount else 0
    return CheckoutTotals(
        subtotal=subtotal,
        discount_total=min(discount_total, subtotal),
        shipping_total=shipping_method.price,
        vat_rate=vat_rate_current(),
    )


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
    return order_get_for_viewer(number=number, user=user)


def order_list_for_user(*, user) -> QuerySet[Order]:
    """The user's orders, newest first, with lines and shipments loaded."""
    if user is None or not user.is_authenticated:
        return Order.objects.none()
    return Order.objects.filter(customer=user).prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related("merchant")),
        "fulfilments",
    )


def order_payable_problem(*, order: Order, now=None) -> DomainError | None:
    """Return why `order` cannot be paid now (ORDER_NOT_PAYABLE, field "order"), or None.

    The one answer to "can this order be paid?": pages and the API ask it to offer the card
    form; services.order_pay asks it again under the order's row lock before charging.
    """
    now = now or timezone.now()
    if order.status == Order.Status.PENDING_PAYMENT:
        if order.expires_at is None or order.expires_at > now:
            return None
        message = (
            "This order was not paid in time and has expired; its items went back on the "
            "shelf. Your cart still has them: check out again to order them."
        )
    elif order.status == Order.Status.CANCELLED:
        message = "This order was cancelled, so there is nothing to pay."
    else:
        message = "This order is paid already; there is nothing more to pay."
    return DomainError(message, code=OrderError.ORDER_NOT_PAYABLE, field="order")


def order_is_payable(*, order: Order, now=None) -> bool:
    """Whether the order still waits for a payment that may be made now."""
    return order_payable_problem(order=order, now=now) is None


# The statuses from which money can still go back (see services.transitions._TRANSITIONS).
REFUNDABLE_STATUSES = frozenset(
    {
        Order.Status.PAID,
        Order.Status.PARTIALLY_FULFILLED,
        Order.Status.FULFILLED,
        Order.Status.DELIVERED,
    }
)


def order_refundable_amount(*, order: Order, merchant: Merchant | None = None) -> int:
    """Return how much of `order` may still be refunded (minor units), 0 if nothing may.

    An operator (no `merchant`) may refund what is left of the total; merchant staff at most
    the value of their merchant's lines less what was refunded for that merchant already.
    Reads the database (not prefetched relations), so services.order_refund gets the same
    answer under the order's row lock as the admin page did before it.
    """
    if order.status not in REFUNDABLE_STATUSES:
        return 0
    left = order.total - order.amount_refunded
    if merchant is not None:
        lines = OrderLine.objects.filter(order=order, merchant=merchant)
        lines_value = lines.aggregate(value=Sum("line_total"))["value"] or 0
        refunds = OrderRefund.objects.filter(order=order, merchant=merchant)
        refunded = refunds.aggregate(value=Sum("amount"))["value"] or 0
        left = min(left, lines_value - refunded)
    return max(0, left)


# --- guest links -------------------------------------------------------------------------------


def order_guest_token(*, order: Order) -> str:
    """The token of the order's guest link: an HMAC of its number (salted, SECRET_KEY)."""
    return link_token(salt=_GUEST_TOKEN_SALT, key=order.number)


def order_guest_url(*, order: Order) -> str:
    """The absolute guest link to the order, as sent in its emails."""
    base = settings.SITE_URL.rstrip("/")
    return f"{base}/orders/{order.number}/?token={order_guest_token(order=order)}"


def order_get_for_viewer(*, number: str, user, token: str = "") -> Order:
    """The order `number` if this viewer may see it: the guest link's `token` opens a guest's
    order (never an account's), else a signed-in `user` sees their own orders.

    Http404 for anything else, and for a number that cannot be an order's (checked before the
    database is asked: PostgreSQL refuses NUL characters with an error), so whether an order
    exists stays private. The one lookup the pages and the API use.
    """
    if not isinstance(number, str) or not ORDER_NUMBER_RE.fullmatch(number):
        raise Http404("No such order.")
    try:
        return owner_or_link_get(
            queryset=order_queryset(),
            key_field="number",
            key=number,
            owner_field="customer",
            user=user,
            token=token,
            salt=_GUEST_TOKEN_SALT,
        )
    except Http404:
        raise Http404("No such order.") from None


def order_get_by_guest_token(*, number: str, token: str) -> Order:
    """The guest order `number` if `token` is its guest token; 404 otherwise (and for no order).

    An order placed by an account is never opened by a token, even a valid one: only guests get
    links, and a leaked or forged key must not expose a signed-in shopper's order.
    """
    if not token:
        raise Http404("No such order.")
    return order_get_for_viewer(number=number, user=None, token=token)


def order_cart_tokens_unpaid() -> QuerySet:
    """The tokens of the carts unpaid orders came from (a subquery for shop.cart)."""
    return Order.objects.filter(status=Order.Status.PENDING_PAYMENT).values("cart_token")


def order_customer_get(*, order_id: int):
    """Return the account that placed order ORDER_ID, or None (a guest's order, or no order)."""
    order = Order.objects.filter(pk=order_id).select_related("customer").first()
    return order.customer if order is not None else None


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


# --- for the social side (who bought what) ---------------------------------------------------

# An order whose money came in: paid, shipped in part or whole, delivered. A refunded or
# cancelled one is not a purchase any more.
PURCHASED_STATUSES = (
    Order.Status.PAID,
    Order.Status.PARTIALLY_FULFILLED,
    Order.Status.FULFILLED,
    Order.Status.DELIVERED,
)


def order_lines_purchased(*, product_ids) -> QuerySet[OrderLine]:
    """The lines of purchased orders of signed-in customers for PRODUCT_IDS (a list or a
    subquery of ids), for the social side's "Bought by 2 friends" (which applies the
    audience rule of purchases on order__customer). A gift shipped to an address its buyer
    does not see (a friend's registry address) is a surprise: never counted here."""
    return OrderLine.objects.filter(
        variant__product_id__in=product_ids,
        order__status__in=PURCHASED_STATUSES,
        order__customer__isnull=False,
        order__ship_to_label="",
    )


def order_lines_purchased_by(*, customer_id) -> QuerySet[OrderLine]:
    """The lines of CUSTOMER_ID's purchased orders (an id or an OuterRef), for the social
    side's "products both bought" (which applies the audience rule of purchases)."""
    return OrderLine.objects.filter(
        order__customer_id=customer_id, order__status__in=PURCHASED_STATUSES
    )


def order_lines_purchased_from(*, merchant_id: int) -> QuerySet[OrderLine]:
    """The lines of MERCHANT_ID in purchased orders of signed-in customers, for the social
    side's "Friends who bought from this merchant" (which applies the audience rule of
    purchases on order__customer). Gifts to a hidden address are left out (a surprise)."""
    return OrderLine.objects.filter(
        merchant_id=merchant_id,
        order__status__in=PURCHASED_STATUSES,
        order__customer__isnull=False,
        order__ship_to_label="",
    )


# --- a merchant's fulfilment record ------------------------------------------------------------


@dataclass(frozen=True)
class FulfilmentRecord:
    """How a merchant kept its shipping promise: of the DUE lines (shipped, or whose promised
    days since payment are over), how many shipped ON_TIME (within the promised days)."""

    due: int
    on_time: int
    days: int

    @property
    def percent(self) -> int | None:
        """The share shipped on time, in whole percent (rounded down); None with no line due."""
        return self.on_time * 100 // self.due if self.due else None


def merchant_fulfilment_record(*, merchant_id: int, days: int, now=None) -> FulfilmentRecord:
    """MERCHANT_ID's record over its order history: the lines of purchased orders whose
    shipment (the merchant's Fulfilment of that order) came within DAYS (the merchant's
    ships_within_days) of payment. A line not shipped yet counts only once its DAYS are over.
    One aggregate query, whatever the number of orders."""
    now = now or timezone.now()
    shipped_at = Subquery(
        Fulfilment.objects.filter(order_id=OuterRef("order_id"), merchant_id=merchant_id).values(
            "shipped_at"
        )[:1],
        output_field=DateTimeField(),
    )
    deadline = ExpressionWrapper(
        F("order__paid_at") + timedelta(days=days), output_field=DateTimeField()
    )
    totals = (
        OrderLine.objects.filter(
            merchant_id=merchant_id,
            order__status__in=PURCHASED_STATUSES,
            order__paid_at__isnull=False,
        )
        .annotate(shipped_at=shipped_at, deadline=deadline)
        .aggregate(
            due=Count("pk", filter=Q(shipped_at__isnull=False) | Q(deadline__lt=now)),
            on_time=Count("pk", filter=Q(shipped_at__lte=F("deadline"))),
        )
    )
    return FulfilmentRecord(due=totals["due"], on_time=totals["on_time"], days=days)


def order_lines_shipped_to(*, customer_id, product_id) -> QuerySet[OrderLine]:
    """CUSTOMER_ID's lines of PRODUCT_ID that were shipped or delivered (a whole order shipped
    or delivered, or a partly shipped one whose line's merchant shipped): what makes a review
    a "verified purchase"."""
    shipped_by_merchant = Exists(
        Fulfilment.objects.filter(
            order_id=OuterRef("order_id"), merchant_id=OuterRef("merchant_id")
        )
    )
    return OrderLine.objects.filter(
        Q(order__status__in=(Order.Status.FULFILLED, Order.Status.DELIVERED))
        | Q(shipped_by_merchant, order__status=Order.Status.PARTIALLY_FULFILLED),
        order__customer_id=customer_id,
        variant__product_id=product_id,
    )


def order_lines_delivered_between(*, since, until) -> QuerySet[OrderLine]:
    """Lines of signed-in customers' orders marked delivered between SINCE and UNTIL (and
    still delivered), with their order's customer and their product's id (product_id)."""
    delivered = OrderTransition.objects.filter(
        to_status=Order.Status.DELIVERED, created_at__gte=since, created_at__lt=until
    ).values("order_id")
    return (
        OrderLine.objects.filter(
            order_id__in=delivered,
            order__status=Order.Status.DELIVERED,
            order__customer__isnull=False,
            variant__isnull=False,
        )
        .select_related("order__customer")
        .annotate(product_id=F("variant__product_id"))
        .order_by("pk")
    )
