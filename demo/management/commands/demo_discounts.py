from django.core.management.base import BaseCommand

from demo.discounts import demo_discounts_ensure
from shop.cart.models import DiscountCode
from shop.cart.selectors import discount_describe
from shop.core.money import money_format


def _describe(code: DiscountCode) -> str:
    spend = f" on orders of {money_format(code.min_subtotal)} or more" if code.min_subtotal else ""
    return f"{code.code} ({discount_describe(discount=code)}{spend})"


class Command(BaseCommand):
    help = "Add the demo shop's discount codes (idempotent: existing codes are left as they are)."

    def handle(self, *args, **options):
        codes = demo_discounts_ensure()
        self.stdout.write("Demo discount codes: " + "; ".join(map(_describe, codes)))
