from django.apps import AppConfig


class LikesConfig(AppConfig):
    """Likes, shares, "ask my friends" and the social proof shown on products."""

    name = "social.likes"
    label = "likes"
    verbose_name = "Likes, shares and asks"

    def ready(self) -> None:
        self._shares_connect()
        self._asks_ready()
        self._likes_ready()

    def _shares_connect(self) -> None:
        """Shares: the notification kind, the share control on product pages, the orders
        that came through a share link, and the person's shares in their data."""
        from shop.catalog.page_cache import product_decorator_register
        from shop.core.outbox import TaskDeliverer, outbox_deliverer_register
        from shop.core.personal_data import personal_data_register
        from shop.orders.events import order_paid
        from social.likes import share_services, share_tasks
        from social.likes.personal_data import shares_erase, shares_export
        from social.likes.share_views import share_decorate

        share_services.share_kinds_register()
        product_decorator_register(share_decorate)
        order_paid.connect(
            share_services.order_paid_record_share,
            weak=False,
            dispatch_uid="likes.order_paid_record_share",
        )
        outbox_deliverer_register(
            prefix="likes.share.",
            deliverer=TaskDeliverer(
                tasks={share_services.NOTIFY_TOPIC: share_tasks.share_recipients_notify}
            ),
        )
        personal_data_register(name="shares", exporter=shares_export, eraser=shares_erase)

    def _asks_ready(self) -> None:
        """Ask my friends: notification kinds, events heard, decorations of the product page
        and the cart, beat's task, personal data."""
        from shop.cart.line_decorations import cart_line_decorator_register
        from shop.catalog.page_cache import product_decorator_register
        from shop.core.personal_data import personal_data_register
        from social.feed.selectors import feed_entry_extra_register
        from social.likes import ask_receivers, ask_tasks  # noqa: F401 (registers the task)
        from social.likes.ask_decorations import (
            ask_cart_line_decorate,
            ask_feed_extra,
            ask_product_decorate,
        )
        from social.likes.ask_kinds import ask_kinds_register
        from social.likes.personal_data import asks_erase, asks_export

        ask_kinds_register()
        ask_receivers.connect()
        product_decorator_register(ask_product_decorate)
        cart_line_decorator_register(ask_cart_line_decorate)
        feed_entry_extra_register(verb="ask", extra=ask_feed_extra)
        personal_data_register(name="asks", exporter=asks_export, eraser=asks_erase)

    def _likes_ready(self) -> None:
        """Likes: the decoration of product cards and pages (like button, social proof), the
        account menu's Likes, the "liked what you bought" notification, personal data."""
        from shop.catalog.page_cache import product_decorator_register
        from shop.core.navigation import NavPlace, nav_entry_register
        from shop.core.outbox import TaskDeliverer, outbox_deliverer_register
        from shop.core.personal_data import personal_data_register
        from social.likes import proof, proof_cache, services, tasks
        from social.likes.personal_data import likes_erase, likes_export
        from social.notifications.kinds import Group, NotificationKind, notification_kind_register
        from social.notifications.models import Delivery

        product_decorator_register(proof.product_decorate)
        proof_cache.connect()
        nav_entry_register(
            key="likes",
            label="Likes",
            url="/likes/",
            places=(NavPlace.ACCOUNT,),
            icon="heart",
            order=15,
        )
        notification_kind_register(
            NotificationKind(
                key=services.LIKE_BOUGHT_KIND,
                label="A friend likes something I bought",
                text="{actor} liked {product}, which you bought",
                group=Group.TARGET,
                default_delivery=Delivery.DAILY,
                order=70,
            )
        )
        outbox_deliverer_register(
            prefix="likes.bought_",
            deliverer=TaskDeliverer(
                tasks={services.NOTIFY_TOPIC: tasks.like_bought_friends_notify}
            ),
        )
        personal_data_register(name="likes", exporter=likes_export, eraser=likes_erase)
