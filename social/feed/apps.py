from django.apps import AppConfig


class FeedConfig(AppConfig):
    """Activities, their fan-out to feeds, and reading feeds."""

    name = "social.feed"
    label = "feed"
    verbose_name = "Feed"

    def ready(self) -> None:
        from shop.core.navigation import NavPlace, nav_entry_register
        from social.feed import receivers

        receivers.connect()
        nav_entry_register(
            key="feed", label="Feed", url="/feed/", places=(NavPlace.DRAWER,), icon="feed", order=10
        )
