"""The orders' part of "download my data" and "delete my account" (shop.core.personal_data).

Orders are kept when a person deletes their account: the shop must keep its sales for its
accounts (and merchants their shipments and refunds). What names or reaches the person on
them (name, email, phone, shipping address) is replaced by placeholders; amounts, lines,
VAT, statuses and the shipping country (which the VAT owed may depend on) stay, so every
total still adds up. Orders placed as a guest (no account) are not linked to the person and
are left as they are.
"""

from django.db.models import Prefetch

from shop.orders.models import Order, OrderLine, OrderTransition

DELETED_NAME = "Deleted user"
DELETED_ADDRESS = "Address removed"
# ".invalid" is reserved (RFC 2606): mail to it is never delivered anywhere.
DELETED_EMAIL = "deleted-customer@deleted.invalid"


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _ship_to(order: Order) -> dict:
    if order.address_hidden:
        # A gift sent to a friend's address the buyer never saw: it is not the buyer's data.
        return {"label": order.ship_to_label}
    return {
        "full_name": order.ship_full_name,
        "line1": order.ship_line1,
        "line2": order.ship_line2,
        "postal_code": order.ship_postal_code,
        "city": order.ship_city,
        "country": order.ship_country,
        "phone": order.ship_phone,
    }


def _order_data(order: Order) -> dict:
    payment = order.payment
    return {
        "number": order.number,
        "placed_at": _when(order.created_at),
        "status": order.status,
        "email": order.email,
        "currency": order.currency,
        "subtotal": order.subtotal,
        "discount": order.discount_total,
        "discount_code": order.discount_code,
        "shipping": order.shipping_total,
        "total": order.total,
        "vat_rate_basis_points": order.vat_rate,
        "vat_included": order.vat_total,
        "refunded": order.amount_refunded,
        "paid_at": _when(order.paid_at),
        "shipping_method": order.shipping_method_name,
        "ship_to": _ship_to(order),
        "lines": [
            {
                "product": line.product_title,
                "variant": line.variant_name,
                "sku": line.sku,
                "unit_price": line.unit_price,
                "quantity": line.quantity,
                "line_total": line.line_total,
            }
            for line in order.lines.all()
        ],
        # A summary only: how and when it was paid, never card details.
        "payment": (
            {
                "status": payment.status,
                "amount": payment.amount,
                "currency": payment.currency,
                "refunded": payment.amount_refunded,
                "at": _when(payment.created_at),
            }
            if payment is not None
            else None
        ),
        "history": [
            {"from": t.from_status, "to": t.to_status, "at": _when(t.created_at)}
            for t in order.transitions.all()
        ],
    }


def orders_export(user) -> dict:
    """Return USER's orders: lines, totals, shipping address, payment summary, history."""
    orders = (
        Order.objects.filter(customer_id=user.pk)
        .select_related("payment")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("id")),
            Prefetch("transitions", queryset=OrderTransition.objects.order_by("created_at", "id")),
        )
        .order_by("created_at", "id")
    )
    return {"orders": [_order_data(order) for order in orders]}


def orders_erase(user) -> None:
    """Replace the name, email, phone and address on USER's orders by placeholders; keep the
    orders, their lines and amounts."""
    Order.objects.filter(customer_id=user.pk).update(
        email=DELETED_EMAIL,
        ship_full_name=DELETED_NAME,
        ship_line1=DELETED_ADDRESS,
        ship_line2="",
        ship_postal_code="",
        ship_city="",
        ship_phone="",
    )
