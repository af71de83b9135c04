from django.apps import AppConfig


def _payment_succeeded_apply(sender, *, payment_id: int, reference: str, **kwargs) -> None:
    """Mark the order paid however the payment got to SUCCEEDED (checkout, 3-D Secure,
    a webhook that arrived first or again): order_mark_paid applies it once."""
    from shop.orders.services import order_payment_succeeded

    order_payment_succeeded(payment_id=payment_id, reference=reference)


class OrdersConfig(AppConfig):
    name = "shop.orders"
    label = "orders"
    verbose_name = "Orders"

    def ready(self) -> None:
        from shop.cart.services import cart_keeper_register
        from shop.orders.selectors import order_cart_tokens_unpaid
        from shop.payments.events import payment_succeeded

        # The cart of an unpaid order is what paying empties; it is never deleted as abandoned.
        cart_keeper_register(order_cart_tokens_unpaid)

        payment_succeeded.connect(
            _payment_succeeded_apply, weak=False, dispatch_uid="orders.payment_succeeded"
        )
