from django.core.management.base import BaseCommand

from shop.cart.models import DiscountCode
from shop.cart.services import discount_codes_demo_ensure
from shop.core.money import money_format


def _describe(code: DiscountCode) -> str:
    off = f"{code.value}%" if code.kind == DiscountCode.Kind.PERCENT else money_format(code.value)
    spend = f" on orders of {money_format(code.min_subtotal)} or more" if code.min_subtotal else ""
    return f"{code.code} ({off} off{spend})"


class Command(BaseCommand):
    help = "Add the demo shop's discount codes (idempotent: existing codes are left as they are)."

    def handle(self, *args, **options):
        codes = discount_codes_demo_ensure()
        self.stdout.write("Demo discount codes: " + "; ".join(map(_describe, codes)))
