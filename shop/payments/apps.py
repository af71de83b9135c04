from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "shop.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        from shop.core.outbox import SignalDeliverer, outbox_deliverer_register
        from shop.payments.events import PAYMENT_OUTBOX_EVENTS
        from shop.payments.models import Payment

        outbox_deliverer_register(
            prefix="payment.",
            deliverer=SignalDeliverer(signals=PAYMENT_OUTBOX_EVENTS, sender=Payment),
        )
