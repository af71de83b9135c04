from django.apps import AppConfig


class WishlistsConfig(AppConfig):
    """Wishlists: a person's lists of wanted things, and friends' claims hidden from them."""

    name = "gifting.wishlists"
    label = "wishlists"
    verbose_name = "Wishlists"

    def ready(self) -> None:
        """A paid order marks its buyer's claims of the variants it holds purchased, and a
        variant's price drop or return to stock tells the owners of its wishes (both through
        the outbox, so an event is not lost with the broker down); the lists and claims in a
        person's data; the product page's "Add to wishlist" and the account menu's entry; the
        list's gift address offered at checkout to who claimed one of its wishes; "ask my
        friends": its notification kinds and the friends told through the outbox."""
        from gifting.wishlists import ask_services, receivers, selectors, tasks
        from gifting.wishlists.alert_kinds import alert_kinds_register
        from gifting.wishlists.ask_kinds import ask_kinds_register
        from gifting.wishlists.decorations import cart_lines_decorate, product_decorate
        from gifting.wishlists.personal_data import wishlists_erase, wishlists_export
        from shop.cart.line_decorations import cart_line_action_register
        from shop.catalog.events import variant_back_in_stock, variant_price_dropped
        from shop.catalog.page_cache import product_decorator_register
        from shop.core.navigation import NavPlace, nav_entry_register
        from shop.core.outbox import TaskDeliverer, outbox_deliverer_register
        from shop.core.personal_data import personal_data_register
        from shop.orders.destinations import destination_resolver_register
        from shop.orders.events import order_cancelled, order_paid, order_refunded

        outbox_deliverer_register(
            prefix="wishlists.",
            deliverer=TaskDeliverer(
                tasks={
                    receivers.ORDER_PAID_TOPIC: tasks.claims_purchase,
                    ask_services.ASK_TOPIC: tasks.wishlist_ask_notify,
                    receivers.PRICE_DROPPED_TOPIC: tasks.price_drop_notify,
                    receivers.BACK_IN_STOCK_TOPIC: tasks.back_in_stock_notify,
                }
            ),
        )
        ask_kinds_register()
        order_paid.connect(receivers.order_paid, weak=False, dispatch_uid="wishlists.order_paid")
        # An order cancelled or refunded in full gives the wishes it bought back to their lists.
        order_cancelled.connect(
            receivers.order_cancelled, weak=False, dispatch_uid="wishlists.order_cancelled"
        )
        order_refunded.connect(
            receivers.order_refunded, weak=False, dispatch_uid="wishlists.order_refunded"
        )
        variant_price_dropped.connect(
            receivers.variant_price_dropped,
            weak=False,
            dispatch_uid="wishlists.variant_price_dropped",
        )
        variant_back_in_stock.connect(
            receivers.variant_back_in_stock,
            weak=False,
            dispatch_uid="wishlists.variant_back_in_stock",
        )
        alert_kinds_register()
        personal_data_register(name="wishlists", exporter=wishlists_export, eraser=wishlists_erase)
        destination_resolver_register(
            prefix=selectors.DESTINATION_PREFIX, resolver=selectors.gift_destination_get
        )
        product_decorator_register(product_decorate)
        cart_line_action_register(cart_lines_decorate)
        nav_entry_register(
            key="wishlists",
            label="Wishlists",
            url="/wishlists/",
            places=(NavPlace.ACCOUNT, NavPlace.DRAWER),
            icon="gift",
            order=16,
        )
