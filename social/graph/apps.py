from django.apps import AppConfig


class GraphConfig(AppConfig):
    """Friendships, requests, follows, blocks, invites, privacy settings and the audience rule."""

    name = "social.graph"
    label = "graph"
    verbose_name = "Social graph"

    def ready(self) -> None:
        from shop.core.navigation import NavPlace, nav_entry_register
        from social.graph import receivers
        from social.graph.profile_selectors import REQUESTS_WAITING

        receivers.connect()
        # The badge: requests waiting for an answer, counted on a partial index, read with the
        # bell's count in one query per page (shop.core.navigation).
        nav_entry_register(
            key="friends",
            label="Friends",
            url="/friends/",
            icon="friends",
            places=[NavPlace.DRAWER],
            badge=REQUESTS_WAITING,
            badge_label="friend requests waiting: {count}",
            order=20,
        )
        nav_entry_register(
            key="privacy",
            label="Privacy settings",
            url="/settings/privacy/",
            icon="lock",
            places=[NavPlace.ACCOUNT],
            order=50,
        )
