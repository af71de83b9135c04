from django.apps import AppConfig


class ReputationConfig(AppConfig):
    """A merchant's public reputation: its rating, fulfilment record, the viewer's friends
    who bought from it. No models: read from the shop's orders and catalogue."""

    name = "reviews.reputation"
    label = "reputation"
    verbose_name = "Merchant reputation"

    def ready(self) -> None:
        from reviews.reputation import receivers
        from reviews.reputation.sections import merchant_reputation_section
        from shop.catalog.merchant_sections import merchant_section_register

        merchant_section_register(merchant_reputation_section)
        receivers.connect()
