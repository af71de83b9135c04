from django.apps import AppConfig


class FeedConfig(AppConfig):
    """Activities, their fan-out to feeds, and reading feeds."""

    name = "social.feed"
    label = "feed"
    verbose_name = "Feed"

    def ready(self) -> None:
        from shop.core.navigation import NavPlace, nav_entry_register
        from social.feed import receivers
        from social.feed.profile import person_activity_section
        from social.graph.profile_sections import profile_section_register

        receivers.connect()
        # A person's page shows their own activity the viewer may see (graph never imports us).
        profile_section_register(person_activity_section)
        nav_entry_register(
            key="feed", label="Feed", url="/feed/", places=(NavPlace.DRAWER,), icon="feed", order=10
        )
