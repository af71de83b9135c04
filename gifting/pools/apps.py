from django.apps import AppConfig


class PoolsConfig(AppConfig):
    """Group gift pools: friends chip in towards one gift, collected up to its target."""

    name = "gifting.pools"
    label = "pools"
    verbose_name = "Gift pools"

    def ready(self) -> None:
        """The pools and contributions in a person's data; the notification kinds of pools."""
        from gifting.pools.notifications import pool_kinds_register
        from gifting.pools.personal_data import pools_erase, pools_export
        from shop.core.personal_data import personal_data_register

        personal_data_register(name="pools", exporter=pools_export, eraser=pools_erase)
        pool_kinds_register()

        # A pool's claim on its wish lasts while the pool lives (opening.py).
        from gifting.pools.opening import pool_claims_ended, pool_claims_held
        from gifting.pools.selectors import pool_claim_links
        from gifting.wishlists.selectors import claim_holder_links_register
        from gifting.wishlists.services import claim_holder_register

        claim_holder_register(held=pool_claims_held, ended=pool_claims_ended)
        # ...and the organiser's list shows it as held by their pool (not to buy or release).
        claim_holder_links_register(pool_claim_links)
        self._payments_connect()
        self._web_connect()
        self._orders_connect()

    def _payments_connect(self) -> None:
        """Contributions hear of their payments (succeeded: from the outbox, at least once;
        failed: on commit); guests' emails leave through the outbox."""
        from gifting.pools import receivers, tasks
        from gifting.pools.notifications import GUEST_EMAIL_TOPIC
        from shop.core.outbox import TaskDeliverer, outbox_deliverer_register
        from shop.payments.events import payment_failed, payment_succeeded

        payment_succeeded.connect(
            receivers.payment_succeeded, weak=False, dispatch_uid="pools.payment_succeeded"
        )
        payment_failed.connect(
            receivers.payment_failed, weak=False, dispatch_uid="pools.payment_failed"
        )
        outbox_deliverer_register(
            prefix=GUEST_EMAIL_TOPIC,
            deliverer=TaskDeliverer(tasks={GUEST_EMAIL_TOPIC: tasks.pool_guest_email_send}),
        )

    def _web_connect(self) -> None:
        """The pages' part: invitation emails (and operators' about refunds) through the
        outbox; "Gift pools" in the menu; "Start a gift pool" on product pages and on each cart
        line."""
        from gifting.pools.decorations import cart_lines_decorate, product_decorate
        from gifting.pools.invitations import INVITATION_EMAIL_TOPIC
        from gifting.pools.refunds import REFUND_ATTENTION_TOPIC
        from shop.cart.line_decorations import cart_line_action_register
        from shop.catalog.page_cache import product_decorator_register
        from shop.core.navigation import NavPlace, nav_entry_register
        from shop.core.outbox import TaskDeliverer, outbox_deliverer_register
        from shop.core.tasks import email_message_send

        product_decorator_register(product_decorate)
        cart_line_action_register(cart_lines_decorate)

        outbox_deliverer_register(
            prefix=INVITATION_EMAIL_TOPIC,
            deliverer=TaskDeliverer(tasks={INVITATION_EMAIL_TOPIC: email_message_send}),
        )
        outbox_deliverer_register(
            prefix=REFUND_ATTENTION_TOPIC,
            deliverer=TaskDeliverer(tasks={REFUND_ATTENTION_TOPIC: email_message_send}),
        )
        nav_entry_register(
            key="pools",
            label="Gift pools",
            url="/pools/",
            places=(NavPlace.ACCOUNT, NavPlace.DRAWER),
            icon="gift",
            order=17,
        )

    def _orders_connect(self) -> None:
        """A funded pool's outbox row tells its people and orders an auto_order gift (or, for a
        pool for an amount funded before it had one, the row of its gift chosen does); the
        shop's order events (from the outbox, at least once) move a pool with its order."""
        from gifting.pools import ordering, tasks
        from shop.core.outbox import TaskDeliverer, outbox_deliverer_register
        from shop.orders import events

        outbox_deliverer_register(
            prefix=ordering.FUNDED_TOPIC,
            deliverer=TaskDeliverer(tasks={ordering.FUNDED_TOPIC: tasks.pool_funded_deliver}),
        )
        outbox_deliverer_register(
            prefix=ordering.GIFT_CHOSEN_TOPIC,
            deliverer=TaskDeliverer(
                tasks={ordering.GIFT_CHOSEN_TOPIC: tasks.pool_gift_chosen_deliver}
            ),
        )
        for signal, receiver in (
            (events.order_shipped, ordering.order_shipped_receive),
            (events.order_delivered, ordering.order_delivered_receive),
            (events.order_cancelled, ordering.order_cancelled_receive),
            (events.order_refunded, ordering.order_refunded_receive),
        ):
            signal.connect(receiver, weak=False, dispatch_uid=f"pools.{receiver.__name__}")
