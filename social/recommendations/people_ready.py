"""What "people you may know" hooks into at start-up (events heard, sections registered)."""


def connect() -> None:
    """Called once from RecommendationsConfig.ready()."""
