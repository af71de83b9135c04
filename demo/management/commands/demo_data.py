from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from demo.build import demo_catalog_build
from demo.plan import DEFAULT_PRODUCTS, DEFAULT_SEED


class Command(BaseCommand):
    help = (
        "Build a demo shop (merchants, categories, products with variants and pictures, "
        "accounts with known passwords). Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--products",
            type=int,
            default=DEFAULT_PRODUCTS,
            help=f"How many products (default {DEFAULT_PRODUCTS}).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="Seed of the generator; the same seed builds the same shop.",
        )

    def handle(self, *args, products: int, seed: int, **options):
        if products < 0:
            raise CommandError("--products must be 0 or more.")
        # The shopper's past order sends its emails (placed, paid, shipped) when the build
        # commits; the demo's history is not news to anyone, and the console backend would
        # print them all over this command's output. (A Celery worker, if one runs, sends
        # them to the demo address, which is reserved and goes nowhere.)
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            result = demo_catalog_build(products=products, seed=seed)
        made = ", ".join(f"{count} {what}" for what, count in result.created.items() if count)
        self.stdout.write(
            f"Demo data ready in {result.seconds:.1f} s: "
            + (f"created {made}." if made else "nothing to add, it was all there.")
        )
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING(
                "Demo accounts (passwords are set when an account is first created):"
            )
        )
        for account in result.accounts:
            where = "/admin/" if account.superuser or account.merchant_slug else "/accounts/login/"
            extra = f" ({account.merchant_slug})" if account.merchant_slug else ""
            self.stdout.write(
                f"  {account.role + extra:<42} {account.email:<22} "
                f"username {account.username:<9} password {account.password:<15} {where}"
            )
