from django.apps import AppConfig


class GraphConfig(AppConfig):
    """Friendships, requests, follows, blocks, invites, privacy settings and the audience rule."""

    name = "social.graph"
    label = "graph"
    verbose_name = "Social graph"

    def ready(self) -> None:
        from social.graph import receivers

        receivers.connect()
