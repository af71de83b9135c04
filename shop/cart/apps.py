from django.apps import AppConfig


class CartConfig(AppConfig):
    name = "shop.cart"
    label = "cart"
    verbose_name = "Cart"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from shop.cart.personal_data import cart_erase, cart_export
        from shop.cart.receivers import cart_merge_on_login
        from shop.core.personal_data import personal_data_register

        user_logged_in.connect(cart_merge_on_login, dispatch_uid="cart_merge_on_login")
        personal_data_register(name="cart", exporter=cart_export, eraser=cart_erase)
