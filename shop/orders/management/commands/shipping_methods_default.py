from django.core.management.base import BaseCommand

from shop.core.money import money_format
from shop.orders.services import shipping_methods_default_ensure


class Command(BaseCommand):
    help = (
        "Add the default shipping methods (standard, express, pickup) that are missing; "
        "methods already there are left as they are."
    )

    def handle(self, *args, **options) -> None:
        for method in shipping_methods_default_ensure():
            self.stdout.write(f"{method.code}: {method.name}, {money_format(method.price)}")
