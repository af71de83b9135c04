from django.apps import AppConfig


def _payment_succeeded_apply(sender, *, payment_id: int, reference: str, **kwargs) -> None:
    """Mark the order paid however the payment got to SUCCEEDED (checkout, 3-D Secure,
    a webhook that arrived first or again): order_mark_paid applies it once.

    Delivered from the outbox: if this raises, the payment.succeeded row stays unsent and
    beat delivers it again until the order has taken (or given back) the payment.
    """
    from shop.orders.services import order_payment_succeeded

    order_payment_succeeded(payment_id=payment_id, reference=reference)


class OrdersConfig(AppConfig):
    name = "shop.orders"
    label = "orders"
    verbose_name = "Orders"

    def ready(self) -> None:
        from shop.cart.services import cart_keeper_register
        from shop.core.outbox import SignalDeliverer, TaskDeliverer, outbox_deliverer_register
        from shop.core.personal_data import personal_data_register
        from shop.orders import outbox, tasks
        from shop.orders.events import ORDER_EVENTS
        from shop.orders.models import Order
        from shop.orders.personal_data import orders_erase, orders_export
        from shop.orders.selectors import order_cart_tokens_unpaid
        from shop.payments.events import payment_succeeded

        # The cart of an unpaid order is what paying empties; it is never deleted as abandoned.
        cart_keeper_register(order_cart_tokens_unpaid)

        payment_succeeded.connect(
            _payment_succeeded_apply, weak=False, dispatch_uid="orders.payment_succeeded"
        )
        outbox_deliverer_register(
            prefix=outbox.EVENT_PREFIX,
            deliverer=SignalDeliverer(signals=ORDER_EVENTS, sender=Order),
        )
        email_tasks = {
            "placed": tasks.order_placed_notify,
            "paid": tasks.order_paid_notify,
            "shipped": tasks.order_shipped_notify,
            "refunded": tasks.order_refunded_notify,
            "payment_returned": tasks.order_payment_returned_notify,
        }
        outbox_deliverer_register(
            prefix=outbox.EMAIL_PREFIX,
            deliverer=TaskDeliverer(
                tasks={f"{outbox.EMAIL_PREFIX}{name}": task for name, task in email_tasks.items()}
            ),
        )
        personal_data_register(name="orders", exporter=orders_export, eraser=orders_erase)
