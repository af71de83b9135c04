from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    """People you may know, products for you, and the home page built for each shopper."""

    name = "social.recommendations"
    label = "recommendations"
    verbose_name = "Recommendations"

    def ready(self) -> None:
        from social.recommendations import people_ready, products_ready

        people_ready.connect()
        products_ready.connect()
