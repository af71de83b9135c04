"""What "products for you" and the personal home hook into at start-up (events heard,
product decorators and home sections registered)."""


def connect() -> None:
    """Called once from RecommendationsConfig.ready()."""
