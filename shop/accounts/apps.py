from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shop.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from shop.accounts import receivers

        receivers.connect()
