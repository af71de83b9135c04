from django.apps import AppConfig


class CartConfig(AppConfig):
    name = "shop.cart"
    label = "cart"
    verbose_name = "Cart"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from shop.cart.receivers import cart_merge_on_login

        user_logged_in.connect(cart_merge_on_login, dispatch_uid="cart_merge_on_login")
